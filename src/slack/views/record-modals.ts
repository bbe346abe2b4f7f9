// Picks the modal for a record kind; each builder lives in its own file.
import type { types } from "@slack/bolt";
import type { ResponseTargets } from "../../domain/complaints.ts";
import { buildComplaintModal } from "./complaint-modal.ts";
import { buildInteractionModal } from "./interaction-modal.ts";
import type { RecordForm, RecordKind } from "./record-form.ts";
import { buildSignModal } from "./sign-modal.ts";

/** `responseTargets` shows each severity's target on the complaint form. */
export function buildRecordModal(
  kind: RecordKind,
  form: RecordForm,
  responseTargets: ResponseTargets,
): types.ModalView {
  switch (kind) {
    case "interaction":
      return buildInteractionModal(form);
    case "complaint":
      return buildComplaintModal(form, { responseTargets });
    case "sign":
      return buildSignModal(form);
  }
}
