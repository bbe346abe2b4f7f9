// Picks the modal for a record kind; each builder lives in its own file.
import type { types } from "@slack/bolt";
import { buildComplaintModal } from "./complaint-modal.ts";
import { buildInteractionModal } from "./interaction-modal.ts";
import type { RecordForm, RecordKind } from "./record-form.ts";
import { buildSignModal } from "./sign-modal.ts";

export function buildRecordModal(kind: RecordKind, form: RecordForm): types.ModalView {
  switch (kind) {
    case "interaction":
      return buildInteractionModal(form);
    case "complaint":
      return buildComplaintModal(form);
    case "sign":
      return buildSignModal(form);
  }
}
