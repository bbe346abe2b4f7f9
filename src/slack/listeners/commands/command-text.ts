// Slash command text as Slack sends it with `should_escape: true`: mentions as <@U…|name>, channels as
// <#C…|name>, links as <url|label>, and &, <, > escaped. Readers of free text get it plain; user ids
// are read from the mentions themselves (or typed raw, U…).

/** Free text for lookups and searches: mentions become @name / #name, links their label, escapes undone. */
export function plainCommandText(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name || id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => name || `@${id}`)
    .replace(/<!([a-z]+)(?:\|([^>]*))?>/g, (_m, word: string, label?: string) => label || `@${word}`)
    .replace(/<([^<>|]+)(?:\|([^>]*))?>/g, (_m, url: string, label?: string) => label || url)
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** A Slack user id from one word: an escaped mention `<@U123|name>` / `<@U123>`, or a raw `U123`. */
export function userIdOf(word: string): string | null {
  const mention = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/.exec(word);
  if (mention) return mention[1] ?? null;
  return /^[UW][A-Z0-9]{2,}$/.test(word) ? word : null;
}

/** Splits escaped command text into words, keeping a mention with a spaced name (`<@U1|Ann Lee>`) whole. */
export function commandWords(text: string): string[] {
  return text.match(/<[^>]*>|\S+/g) ?? [];
}

export type UserArgs =
  | { ok: true; userIds: string[]; rest: string }
  | { ok: false; word: string | null; position: number };

/**
 * The first `count` words as users, and the text after them (escapes undone). A missing word is
 * reported with `word: null`; a word that is not a user, with that word (plain).
 */
export function takeUsers(text: string, count: number): UserArgs {
  const words = commandWords(text.trim());
  const userIds: string[] = [];
  for (let position = 0; position < count; position++) {
    const word = words[position];
    if (word === undefined) return { ok: false, word: null, position };
    const id = userIdOf(word);
    if (id === null) return { ok: false, word: plainCommandText(word), position };
    userIds.push(id);
  }
  return { ok: true, userIds, rest: plainCommandText(words.slice(count).join(" ")).trim() };
}
