// Block Kit limits the fake Slack enforces, so a message or view real Slack would reject fails in tests too.

/** Where a set of blocks is shown: the surface decides the block limit and which blocks are allowed. */
export type Surface = "message" | "modal" | "home";

export interface BlockKitOptions {
  /**
   * Real Slack only requires action_id to be unique inside one block (the same action_id on a button in
   * each of several blocks is fine). Set this to also reject an action_id repeated anywhere in the surface.
   */
  uniqueActionIdsPerSurface?: boolean;
}

/** Slack's documented limits, in one place so the error messages and the checks agree. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  options: 100,
  overflowOptions: 5,
  choiceOptions: 10,
  inputLabel: 2000,
  inputHint: 2000,
  imageAltText: 2000,
  imageTitle: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  plainTextInputLength: 3000,
} as const;

export const KNOWN_BLOCK_TYPES = [
  "section",
  "divider",
  "header",
  "context",
  "actions",
  "input",
  "image",
  "rich_text",
] as const;

const SELECT_TYPES = [
  "static_select",
  "external_select",
  "users_select",
  "conversations_select",
  "channels_select",
  "multi_static_select",
  "multi_external_select",
  "multi_users_select",
  "multi_conversations_select",
  "multi_channels_select",
];
// Elements that only make sense inside an input block (they hold a value until the view is submitted).
const INPUT_ONLY_TYPES = [
  "plain_text_input",
  "email_text_input",
  "url_text_input",
  "number_input",
  "rich_text_input",
  "file_input",
];
const PICKER_TYPES = ["datepicker", "timepicker", "datetimepicker"];
const CHOICE_TYPES = ["checkboxes", "radio_buttons"];

const ACCESSORY_TYPES = new Set([
  "button",
  "overflow",
  "image",
  "workflow_button",
  "datepicker",
  "timepicker",
  ...SELECT_TYPES,
  ...CHOICE_TYPES,
]);
const ACTIONS_TYPES = new Set([
  "button",
  "overflow",
  "workflow_button",
  ...SELECT_TYPES,
  ...PICKER_TYPES,
  ...CHOICE_TYPES,
]);
const INPUT_TYPES = new Set([...INPUT_ONLY_TYPES, ...SELECT_TYPES, ...PICKER_TYPES, ...CHOICE_TYPES]);

type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Collects violations worded like Slack's own `errors`: "<problem> [json-pointer:/blocks/0/text/text]". */
class Violations {
  readonly list: string[] = [];
  private readonly blockIds = new Set<string>();
  private readonly surfaceActionIds = new Set<string>();
  private blockActionIds = new Set<string>();

  constructor(private readonly options: BlockKitOptions) {}

  add(pointer: string, problem: string): void {
    this.list.push(`${problem} [json-pointer:${pointer}]`);
  }

  /** A string field: type, presence and length. Returns the string when it is one. */
  string(
    value: unknown,
    pointer: string,
    rules: { max?: number; min?: number; required?: boolean },
  ): string | undefined {
    if (value === undefined || value === null) {
      if (rules.required) this.add(pointer, "missing required field");
      return undefined;
    }
    if (typeof value !== "string") {
      this.add(pointer, "must be a string");
      return undefined;
    }
    if (rules.min !== undefined && value.length < rules.min) {
      this.add(pointer, `must be at least ${rules.min} characters`);
    }
    if (rules.max !== undefined && value.length > rules.max) {
      this.add(pointer, `must be less than ${rules.max + 1} characters (got ${value.length})`);
    }
    return value;
  }

  /** A composition text object ({type: plain_text|mrkdwn, text}). */
  text(
    value: unknown,
    pointer: string,
    rules: { max: number; plainOnly?: boolean; required?: boolean },
  ): void {
    if (value === undefined || value === null) {
      if (rules.required) this.add(pointer, "missing required field");
      return;
    }
    if (!isRecord(value)) {
      this.add(pointer, "must be a text object");
      return;
    }
    if (value.type !== "plain_text" && value.type !== "mrkdwn") {
      this.add(`${pointer}/type`, "must be one of: plain_text, mrkdwn");
    } else if (rules.plainOnly && value.type !== "plain_text") {
      this.add(`${pointer}/type`, "must be plain_text");
    }
    this.string(value.text, `${pointer}/text`, { min: 1, max: rules.max, required: true });
  }

  blockId(value: unknown, pointer: string): void {
    const id = this.string(value, pointer, { max: LIMITS.id });
    if (id === undefined) return;
    if (this.blockIds.has(id)) this.add(pointer, `duplicate block_id "${id}"`);
    this.blockIds.add(id);
  }

  startBlock(): void {
    this.blockActionIds = new Set();
  }

  actionId(value: unknown, pointer: string): void {
    const id = this.string(value, pointer, { max: LIMITS.id });
    if (id === undefined) return;
    if (this.blockActionIds.has(id)) {
      this.add(pointer, `duplicate action_id "${id}" in the same block`);
    } else if (this.options.uniqueActionIdsPerSurface && this.surfaceActionIds.has(id)) {
      this.add(pointer, `duplicate action_id "${id}"`);
    }
    this.blockActionIds.add(id);
    this.surfaceActionIds.add(id);
  }
}

function checkArray(
  v: Violations,
  value: unknown,
  pointer: string,
  rules: { min?: number; max: number; required?: boolean },
): unknown[] {
  if (value === undefined || value === null) {
    if (rules.required) v.add(pointer, "missing required field");
    return [];
  }
  if (!Array.isArray(value)) {
    v.add(pointer, "must be an array");
    return [];
  }
  if (rules.min !== undefined && value.length < rules.min) {
    v.add(pointer, `must provide at least ${rules.min} items`);
  }
  if (value.length > rules.max) {
    v.add(pointer, `must provide no more than ${rules.max} items (got ${value.length})`);
  }
  return value;
}

function checkConfirm(v: Violations, value: unknown, pointer: string): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    v.add(pointer, "must be a confirmation dialog object");
    return;
  }
  v.text(value.title, `${pointer}/title`, { max: LIMITS.confirmTitle, plainOnly: true, required: true });
  v.text(value.text, `${pointer}/text`, { max: LIMITS.confirmText, required: true });
  v.text(value.confirm, `${pointer}/confirm`, { max: LIMITS.confirmButton, plainOnly: true, required: true });
  v.text(value.deny, `${pointer}/deny`, { max: LIMITS.confirmButton, plainOnly: true, required: true });
}

function checkOptions(
  v: Violations,
  value: unknown,
  pointer: string,
  rules: { max: number; min?: number; required?: boolean; plainOnly: boolean },
): void {
  checkArray(v, value, pointer, rules).forEach((option, i) => {
    const at = `${pointer}/${i}`;
    if (!isRecord(option)) {
      v.add(at, "must be an option object");
      return;
    }
    v.text(option.text, `${at}/text`, { max: LIMITS.optionText, plainOnly: rules.plainOnly, required: true });
    v.string(option.value, `${at}/value`, { max: LIMITS.optionValue, required: true });
    v.text(option.description, `${at}/description`, { max: LIMITS.optionText, plainOnly: rules.plainOnly });
    v.string(option.url, `${at}/url`, { max: LIMITS.url });
  });
}

function checkElement(v: Violations, element: unknown, pointer: string, allowed: Set<string>): void {
  if (!isRecord(element)) {
    v.add(pointer, "must be an element object");
    return;
  }
  const type = element.type;
  if (typeof type !== "string" || !allowed.has(type)) {
    v.add(`${pointer}/type`, `element type "${String(type)}" is not allowed here`);
    return;
  }
  if (type !== "image") v.actionId(element.action_id, `${pointer}/action_id`);
  checkConfirm(v, element.confirm, `${pointer}/confirm`);

  if (type === "button") {
    v.text(element.text, `${pointer}/text`, { max: LIMITS.buttonText, plainOnly: true, required: true });
    v.string(element.value, `${pointer}/value`, { max: LIMITS.buttonValue });
    v.string(element.url, `${pointer}/url`, { max: LIMITS.url });
    v.string(element.accessibility_label, `${pointer}/accessibility_label`, { max: LIMITS.buttonText });
    if (element.style !== undefined && element.style !== "primary" && element.style !== "danger") {
      v.add(`${pointer}/style`, "must be one of: primary, danger");
    }
    return;
  }
  if (type === "image") {
    checkImageSource(v, element, pointer);
    v.string(element.alt_text, `${pointer}/alt_text`, { max: LIMITS.imageAltText, required: true });
    return;
  }
  v.text(element.placeholder, `${pointer}/placeholder`, { max: LIMITS.placeholder, plainOnly: true });
  if (type === "overflow") {
    checkOptions(v, element.options, `${pointer}/options`, {
      min: 1,
      max: LIMITS.overflowOptions,
      required: true,
      plainOnly: true,
    });
  } else if (CHOICE_TYPES.includes(type)) {
    checkOptions(v, element.options, `${pointer}/options`, {
      min: 1,
      max: LIMITS.choiceOptions,
      required: true,
      plainOnly: false,
    });
  } else if (type === "static_select" || type === "multi_static_select") {
    if (element.options === undefined && element.option_groups === undefined) {
      v.add(`${pointer}/options`, "must provide options or option_groups");
    }
    checkOptions(v, element.options, `${pointer}/options`, { max: LIMITS.options, plainOnly: true });
    checkArray(v, element.option_groups, `${pointer}/option_groups`, { max: LIMITS.options }).forEach(
      (group, i) => {
        const at = `${pointer}/option_groups/${i}`;
        if (!isRecord(group)) {
          v.add(at, "must be an option group object");
          return;
        }
        v.text(group.label, `${at}/label`, { max: LIMITS.optionText, plainOnly: true, required: true });
        checkOptions(v, group.options, `${at}/options`, {
          max: LIMITS.options,
          required: true,
          plainOnly: true,
        });
      },
    );
  } else if (type === "plain_text_input") {
    for (const key of ["min_length", "max_length"] as const) {
      const length = element[key];
      if (
        length !== undefined &&
        (typeof length !== "number" || length < 0 || length > LIMITS.plainTextInputLength)
      ) {
        v.add(`${pointer}/${key}`, `must be a number between 0 and ${LIMITS.plainTextInputLength}`);
      }
    }
  }
}

function checkImageSource(v: Violations, image: JsonRecord, pointer: string): void {
  if (image.image_url === undefined && image.slack_file === undefined) {
    v.add(`${pointer}/image_url`, "must provide image_url or slack_file");
  }
  v.string(image.image_url, `${pointer}/image_url`, { min: 1, max: LIMITS.url });
}

function checkBlock(v: Violations, block: unknown, pointer: string, surface: Surface): void {
  if (!isRecord(block)) {
    v.add(pointer, "must be a block object");
    return;
  }
  v.startBlock();
  v.blockId(block.block_id, `${pointer}/block_id`);
  switch (block.type) {
    case "section": {
      if (block.text === undefined && block.fields === undefined) {
        v.add(pointer, "must provide text or fields");
      }
      v.text(block.text, `${pointer}/text`, { max: LIMITS.sectionText });
      checkArray(v, block.fields, `${pointer}/fields`, { min: 1, max: LIMITS.sectionFields }).forEach(
        (field, i) => {
          v.text(field, `${pointer}/fields/${i}`, { max: LIMITS.sectionFieldText, required: true });
        },
      );
      if (block.accessory !== undefined) {
        checkElement(v, block.accessory, `${pointer}/accessory`, ACCESSORY_TYPES);
      }
      return;
    }
    case "divider":
      return;
    case "header":
      v.text(block.text, `${pointer}/text`, { max: LIMITS.headerText, plainOnly: true, required: true });
      return;
    case "context":
      checkArray(v, block.elements, `${pointer}/elements`, {
        min: 1,
        max: LIMITS.contextElements,
        required: true,
      }).forEach((element, i) => {
        const at = `${pointer}/elements/${i}`;
        if (isRecord(element) && element.type === "image") {
          checkImageSource(v, element, at);
          v.string(element.alt_text, `${at}/alt_text`, { max: LIMITS.imageAltText, required: true });
        } else {
          v.text(element, at, { max: LIMITS.sectionText, required: true });
        }
      });
      return;
    case "actions":
      checkArray(v, block.elements, `${pointer}/elements`, {
        min: 1,
        max: LIMITS.actionsElements,
        required: true,
      }).forEach((element, i) => {
        checkElement(v, element, `${pointer}/elements/${i}`, ACTIONS_TYPES);
      });
      return;
    case "input":
      if (surface === "message") v.add(`${pointer}/type`, "input blocks are only allowed in views");
      v.text(block.label, `${pointer}/label`, { max: LIMITS.inputLabel, plainOnly: true, required: true });
      v.text(block.hint, `${pointer}/hint`, { max: LIMITS.inputHint, plainOnly: true });
      if (block.element === undefined) v.add(`${pointer}/element`, "missing required field");
      else checkElement(v, block.element, `${pointer}/element`, INPUT_TYPES);
      return;
    case "image":
      checkImageSource(v, block, pointer);
      v.string(block.alt_text, `${pointer}/alt_text`, { max: LIMITS.imageAltText, required: true });
      v.text(block.title, `${pointer}/title`, { max: LIMITS.imageTitle, plainOnly: true });
      return;
    case "rich_text":
      checkArray(v, block.elements, `${pointer}/elements`, { max: Number.POSITIVE_INFINITY, required: true });
      return;
    default:
      v.add(`${pointer}/type`, `unknown block type "${String(block.type)}"`);
  }
}

function checkBlocks(v: Violations, blocks: unknown, pointer: string, surface: Surface): void {
  const max = surface === "message" ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  checkArray(v, blocks, pointer, { max }).forEach((block, i) => {
    checkBlock(v, block, `${pointer}/${i}`, surface);
  });
}

/** Block problems in a message payload (chat.postMessage, chat.update, response_url ...). */
export function blockViolations(blocks: unknown, options: BlockKitOptions = {}): string[] {
  const v = new Violations(options);
  checkBlocks(v, blocks, "/blocks", "message");
  return v.list;
}

/** Problems in a modal or Home tab view (views.open/push/update/publish). */
export function viewViolations(view: unknown, options: BlockKitOptions = {}): string[] {
  const v = new Violations(options);
  if (!isRecord(view)) {
    v.add("/view", "must be a view object");
    return v.list;
  }
  if (view.type !== "modal" && view.type !== "home") {
    v.add("/view/type", "must be one of: modal, home");
    return v.list;
  }
  const surface: Surface = view.type;
  checkBlocks(v, view.blocks, "/view/blocks", surface);
  if (view.blocks === undefined) v.add("/view/blocks", "missing required field");
  v.string(view.private_metadata, "/view/private_metadata", { max: LIMITS.privateMetadata });
  v.string(view.callback_id, "/view/callback_id", { max: LIMITS.id });
  v.string(view.external_id, "/view/external_id", { max: LIMITS.id });
  if (surface === "modal") {
    v.text(view.title, "/view/title", { max: LIMITS.modalTitle, plainOnly: true, required: true });
    v.text(view.submit, "/view/submit", { max: LIMITS.modalButton, plainOnly: true });
    v.text(view.close, "/view/close", { max: LIMITS.modalButton, plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isRecord(b) && b.type === "input");
    if (hasInput && view.submit === undefined) {
      v.add("/view/submit", "submit is required when a modal contains input blocks");
    }
  }
  return v.list;
}
