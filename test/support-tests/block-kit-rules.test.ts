// Proves the Block Kit limits the fake Slack enforces: each limit passes at the edge and fails one past it.
import { describe, expect, it } from "vitest";
import { blockViolations, viewViolations } from "../support/block-kit-rules.ts";

const text = (n: number, type: "plain_text" | "mrkdwn" = "mrkdwn") => ({ type, text: "x".repeat(n) });
const section = (n = 10) => ({ type: "section", text: text(n) });
const button = (overrides: Record<string, unknown> = {}) => ({
  type: "button",
  action_id: "go",
  text: text(5, "plain_text"),
  ...overrides,
});
const modal = (overrides: Record<string, unknown> = {}) => ({
  type: "modal",
  title: text(10, "plain_text"),
  blocks: [section()],
  ...overrides,
});

describe("message blocks", () => {
  const cases: { name: string; blocks: unknown[]; problem?: string }[] = [
    { name: "50 blocks", blocks: Array.from({ length: 50 }, () => section()) },
    {
      name: "51 blocks",
      blocks: Array.from({ length: 51 }, () => section()),
      problem: "no more than 50 items",
    },
    { name: "section text of 3000", blocks: [section(3000)] },
    { name: "section text of 3001", blocks: [section(3001)], problem: "/blocks/0/text/text" },
    { name: "empty section text", blocks: [section(0)], problem: "at least 1 characters" },
    { name: "section without text or fields", blocks: [{ type: "section" }], problem: "text or fields" },
    {
      name: "10 fields of 2000",
      blocks: [{ type: "section", fields: Array.from({ length: 10 }, () => text(2000)) }],
    },
    {
      name: "11 fields",
      blocks: [{ type: "section", fields: Array.from({ length: 11 }, () => text(5)) }],
      problem: "/blocks/0/fields",
    },
    {
      name: "field of 2001",
      blocks: [{ type: "section", fields: [text(2001)] }],
      problem: "/blocks/0/fields/0/text",
    },
    { name: "header of 150", blocks: [{ type: "header", text: text(150, "plain_text") }] },
    {
      name: "header of 151",
      blocks: [{ type: "header", text: text(151, "plain_text") }],
      problem: "/blocks/0/text/text",
    },
    {
      name: "mrkdwn header",
      blocks: [{ type: "header", text: text(5, "mrkdwn") }],
      problem: "must be plain_text",
    },
    {
      name: "11 context elements",
      blocks: [{ type: "context", elements: Array.from({ length: 11 }, () => text(3)) }],
      problem: "/blocks/0/elements",
    },
    {
      name: "25 buttons",
      blocks: [
        { type: "actions", elements: Array.from({ length: 25 }, (_, i) => button({ action_id: `b${i}` })) },
      ],
    },
    {
      name: "26 buttons",
      blocks: [
        { type: "actions", elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` })) },
      ],
      problem: "no more than 25 items",
    },
    {
      name: "button text of 75",
      blocks: [{ type: "actions", elements: [button({ text: text(75, "plain_text") })] }],
    },
    {
      name: "button text of 76",
      blocks: [{ type: "actions", elements: [button({ text: text(76, "plain_text") })] }],
      problem: "/blocks/0/elements/0/text/text",
    },
    {
      name: "mrkdwn button text",
      blocks: [{ type: "actions", elements: [button({ text: text(5, "mrkdwn") })] }],
      problem: "must be plain_text",
    },
    {
      name: "button value of 2001",
      blocks: [{ type: "actions", elements: [button({ value: "v".repeat(2001) })] }],
      problem: "/blocks/0/elements/0/value",
    },
    {
      name: "action_id of 256",
      blocks: [{ type: "actions", elements: [button({ action_id: "a".repeat(256) })] }],
      problem: "/blocks/0/elements/0/action_id",
    },
    { name: "block_id of 255", blocks: [{ ...section(), block_id: "b".repeat(255) }] },
    {
      name: "block_id of 256",
      blocks: [{ ...section(), block_id: "b".repeat(256) }],
      problem: "/blocks/0/block_id",
    },
    {
      name: "duplicate block_id",
      blocks: [
        { ...section(), block_id: "same" },
        { ...section(), block_id: "same" },
      ],
      problem: 'duplicate block_id "same"',
    },
    {
      name: "duplicate action_id in one block",
      blocks: [{ type: "actions", elements: [button(), button()] }],
      problem: 'duplicate action_id "go"',
    },
    {
      name: "same action_id in two blocks (allowed by Slack)",
      blocks: [
        { type: "actions", elements: [button()] },
        { type: "actions", elements: [button()] },
      ],
    },
    { name: "unknown block type", blocks: [{ type: "carousel" }], problem: 'unknown block type "carousel"' },
    {
      name: "input-only element in actions",
      blocks: [{ type: "actions", elements: [{ type: "plain_text_input", action_id: "t" }] }],
      problem: "not allowed here",
    },
    {
      name: "input block in a message",
      blocks: [
        {
          type: "input",
          label: text(3, "plain_text"),
          element: { type: "plain_text_input", action_id: "t" },
        },
      ],
      problem: "only allowed in views",
    },
    {
      name: "image without alt_text",
      blocks: [{ type: "image", image_url: "https://example.com/a.png" }],
      problem: "/blocks/0/alt_text",
    },
    { name: "divider and rich_text", blocks: [{ type: "divider" }, { type: "rich_text", elements: [] }] },
  ];

  it.each(cases)("$name", ({ blocks, problem }) => {
    const problems = blockViolations(blocks);
    if (problem === undefined) expect(problems).toEqual([]);
    else expect(problems.join("\n")).toContain(problem);
  });

  it("can also demand unique action_ids across the whole message", () => {
    const blocks = [
      { type: "actions", elements: [button()] },
      { type: "actions", elements: [button()] },
    ];
    expect(blockViolations(blocks, { uniqueActionIdsPerSurface: true }).join()).toContain(
      "duplicate action_id",
    );
  });
});

describe("views", () => {
  const cases: { name: string; view: unknown; problem?: string }[] = [
    { name: "a plain modal", view: modal() },
    { name: "title of 24", view: modal({ title: text(24, "plain_text") }) },
    { name: "title of 25", view: modal({ title: text(25, "plain_text") }), problem: "/view/title/text" },
    { name: "missing title", view: modal({ title: undefined }), problem: "/view/title" },
    { name: "submit of 25", view: modal({ submit: text(25, "plain_text") }), problem: "/view/submit/text" },
    { name: "close of 25", view: modal({ close: text(25, "plain_text") }), problem: "/view/close/text" },
    { name: "100 blocks", view: modal({ blocks: Array.from({ length: 100 }, () => section()) }) },
    {
      name: "101 blocks",
      view: modal({ blocks: Array.from({ length: 101 }, () => section()) }),
      problem: "no more than 100 items",
    },
    { name: "private_metadata of 3000", view: modal({ private_metadata: "m".repeat(3000) }) },
    {
      name: "private_metadata of 3001",
      view: modal({ private_metadata: "m".repeat(3001) }),
      problem: "/view/private_metadata",
    },
    {
      name: "callback_id of 256",
      view: modal({ callback_id: "c".repeat(256) }),
      problem: "/view/callback_id",
    },
    {
      name: "external_id of 256",
      view: modal({ external_id: "e".repeat(256) }),
      problem: "/view/external_id",
    },
    {
      name: "input block without submit",
      view: modal({
        blocks: [
          {
            type: "input",
            label: text(4, "plain_text"),
            element: { type: "plain_text_input", action_id: "t" },
          },
        ],
      }),
      problem: "submit is required",
    },
    {
      name: "input block with submit",
      view: modal({
        submit: text(4, "plain_text"),
        blocks: [
          {
            type: "input",
            label: text(4, "plain_text"),
            element: { type: "plain_text_input", action_id: "t" },
          },
        ],
      }),
    },
    { name: "home tab without title", view: { type: "home", blocks: [section()] } },
    { name: "unknown view type", view: { type: "sheet", blocks: [] }, problem: "/view/type" },
  ];

  it.each(cases)("$name", ({ view, problem }) => {
    const problems = viewViolations(view);
    if (problem === undefined) expect(problems).toEqual([]);
    else expect(problems.join("\n")).toContain(problem);
  });
});
