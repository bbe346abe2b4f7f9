-- CreateEnum
CREATE TYPE "ChurnReason" AS ENUM ('moved_away', 'changed_business', 'bankrupt', 'acquired', 'makes_it_themselves', 'other_beyond_control', 'better_product_elsewhere', 'poor_service', 'poor_quality', 'price_too_high', 'unresolved_complaint', 'relationship_change', 'channel_conflict', 'other_within_control');

-- CreateEnum
CREATE TYPE "ExitCaseStatus" AS ENUM ('open', 'retained', 'lost');

-- CreateEnum
CREATE TYPE "ExitTaskStatus" AS ENUM ('todo', 'doing', 'done', 'not_needed');

-- CreateEnum
CREATE TYPE "CorrectiveActionStatus" AS ENUM ('open', 'done');

-- CreateTable
CREATE TABLE "account_status_change" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "from_status" "AccountStatus" NOT NULL,
    "to_status" "AccountStatus" NOT NULL,
    "effective_on" DATE NOT NULL,
    "exit_case_id" UUID,
    "actor_slack_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_status_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_link" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "linked_id" UUID NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_link_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exit_case" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "status" "ExitCaseStatus" NOT NULL DEFAULT 'open',
    "previous_status" "AccountStatus" NOT NULL,
    "reason" "ChurnReason",
    "surface_reason" TEXT,
    "deep_reason" TEXT,
    "competitor_won" TEXT,
    "expected_end_on" DATE,
    "warning_id" UUID,
    "conversation_outcome" TEXT,
    "customer_said" TEXT,
    "customer_suggested" TEXT,
    "currency" CHAR(3) NOT NULL,
    "receivables_outstanding" BIGINT,
    "receivables_recovered" BIGINT,
    "compensation_claimed" BIGINT,
    "compensation_agreed" BIGINT,
    "goods_returned" BIGINT,
    "market_gap_loss" BIGINT,
    "company_communication" TEXT,
    "channel_id" TEXT,
    "message_ts" TEXT,
    "retro_channel_id" TEXT,
    "retro_ts" TEXT,
    "retro_opened_at" TIMESTAMPTZ(3),
    "retro_summarized_at" TIMESTAMPTZ(3),
    "closed_on" DATE,
    "submission_key" TEXT,
    "started_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exit_case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exit_task" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "owner_slack_id" TEXT NOT NULL,
    "due_on" DATE NOT NULL,
    "status" "ExitTaskStatus" NOT NULL DEFAULT 'todo',
    "not_needed_reason" TEXT,
    "notes" TEXT,
    "reminded_on" DATE,
    "updated_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exit_task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exit_task_event" (
    "id" UUID NOT NULL,
    "task_id" UUID NOT NULL,
    "from_status" "ExitTaskStatus",
    "to_status" "ExitTaskStatus",
    "text" TEXT NOT NULL,
    "actor_slack_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exit_task_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exit_outreach" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "task_number" INTEGER NOT NULL,
    "account_id" UUID NOT NULL,
    "contacted_by" TEXT NOT NULL,
    "contacted_on" DATE NOT NULL,
    "outcome" TEXT NOT NULL,
    "submission_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exit_outreach_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lesson" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lesson_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "corrective_action" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "description" TEXT NOT NULL,
    "owner_slack_id" TEXT NOT NULL,
    "due_on" DATE NOT NULL,
    "status" "CorrectiveActionStatus" NOT NULL DEFAULT 'open',
    "done_at" TIMESTAMPTZ(3),
    "done_by" TEXT,
    "reminded_on" DATE,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "corrective_action_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "account_status_change_account_id_effective_on_idx" ON "account_status_change"("account_id", "effective_on");

-- CreateIndex
CREATE INDEX "account_status_change_to_status_effective_on_idx" ON "account_status_change"("to_status", "effective_on");

-- CreateIndex
CREATE INDEX "account_link_linked_id_idx" ON "account_link"("linked_id");

-- CreateIndex
CREATE UNIQUE INDEX "account_link_account_id_linked_id_key" ON "account_link"("account_id", "linked_id");

-- CreateIndex
CREATE UNIQUE INDEX "exit_case_submission_key_key" ON "exit_case"("submission_key");

-- CreateIndex
CREATE INDEX "exit_case_account_id_idx" ON "exit_case"("account_id");

-- CreateIndex
CREATE INDEX "exit_case_status_idx" ON "exit_case"("status");

-- CreateIndex
CREATE INDEX "exit_task_status_due_on_idx" ON "exit_task"("status", "due_on");

-- CreateIndex
CREATE UNIQUE INDEX "exit_task_case_id_number_key" ON "exit_task"("case_id", "number");

-- CreateIndex
CREATE INDEX "exit_task_event_task_id_at_idx" ON "exit_task_event"("task_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "exit_outreach_submission_key_key" ON "exit_outreach"("submission_key");

-- CreateIndex
CREATE INDEX "exit_outreach_case_id_idx" ON "exit_outreach"("case_id");

-- CreateIndex
CREATE INDEX "lesson_case_id_idx" ON "lesson"("case_id");

-- CreateIndex
CREATE INDEX "corrective_action_case_id_idx" ON "corrective_action"("case_id");

-- CreateIndex
CREATE INDEX "corrective_action_status_due_on_idx" ON "corrective_action"("status", "due_on");

-- AddForeignKey
ALTER TABLE "account_status_change" ADD CONSTRAINT "account_status_change_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_status_change" ADD CONSTRAINT "account_status_change_exit_case_id_fkey" FOREIGN KEY ("exit_case_id") REFERENCES "exit_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_link" ADD CONSTRAINT "account_link_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_link" ADD CONSTRAINT "account_link_linked_id_fkey" FOREIGN KEY ("linked_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exit_case" ADD CONSTRAINT "exit_case_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exit_task" ADD CONSTRAINT "exit_task_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "exit_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exit_task_event" ADD CONSTRAINT "exit_task_event_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "exit_task"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exit_outreach" ADD CONSTRAINT "exit_outreach_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "exit_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exit_outreach" ADD CONSTRAINT "exit_outreach_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lesson" ADD CONSTRAINT "lesson_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "exit_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "corrective_action" ADD CONSTRAINT "corrective_action_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "exit_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: one open exit case per account; tasks numbered 1-6; outreach only for tasks 2 and 3;
-- an account is not linked to itself; the loss amounts are never negative.
CREATE UNIQUE INDEX "exit_case_one_open_per_account" ON "exit_case"("account_id") WHERE "status" = 'open';
ALTER TABLE "exit_task" ADD CONSTRAINT "exit_task_number_check" CHECK ("number" BETWEEN 1 AND 6);
ALTER TABLE "exit_task" ADD CONSTRAINT "exit_task_not_needed_reason_check"
  CHECK ("status" <> 'not_needed' OR "not_needed_reason" IS NOT NULL);
ALTER TABLE "exit_outreach" ADD CONSTRAINT "exit_outreach_task_check" CHECK ("task_number" IN (2, 3));
ALTER TABLE "account_link" ADD CONSTRAINT "account_link_not_self_check" CHECK ("account_id" <> "linked_id");
ALTER TABLE "exit_case" ADD CONSTRAINT "exit_case_amounts_check" CHECK (
  coalesce("receivables_outstanding", 0) >= 0 AND coalesce("receivables_recovered", 0) >= 0 AND
  coalesce("compensation_claimed", 0) >= 0 AND coalesce("compensation_agreed", 0) >= 0 AND
  coalesce("goods_returned", 0) >= 0 AND coalesce("market_gap_loss", 0) >= 0);
