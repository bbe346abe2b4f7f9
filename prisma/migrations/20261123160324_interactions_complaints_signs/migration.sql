-- CreateEnum
CREATE TYPE "InteractionKind" AS ENUM ('visit', 'call', 'email', 'meeting', 'event', 'other');

-- CreateEnum
CREATE TYPE "LoyaltyRead" AS ENUM ('loyal', 'average', 'disloyal');

-- CreateEnum
CREATE TYPE "ComplaintCategory" AS ENUM ('product_quality', 'delivery', 'service', 'price', 'billing', 'channel_conflict', 'other');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "ComplaintStatus" AS ENUM ('open', 'investigating', 'fixing', 'resolved', 'confirmed', 'reopened');

-- CreateEnum
CREATE TYPE "SignKind" AS ENUM ('strategy_change', 'procurement_reform', 'contact_change', 'complaint_escalation', 'competitor_activity', 'rep_leaving', 'payment_problem', 'other');

-- CreateTable
CREATE TABLE "interaction" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "kind" "InteractionKind" NOT NULL,
    "occurred_on" DATE NOT NULL,
    "our_participants" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "contact_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "summary" TEXT NOT NULL,
    "praised" TEXT,
    "complained" TEXT,
    "loyalty" "LoyaltyRead",
    "source_permalink" TEXT,
    "submission_key" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_up" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "interaction_id" UUID,
    "description" TEXT NOT NULL,
    "due_on" DATE NOT NULL,
    "owner_slack_id" TEXT NOT NULL,
    "done_at" TIMESTAMPTZ(3),
    "done_by" TEXT,
    "reminded_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "follow_up_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "complaint" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "category" "ComplaintCategory" NOT NULL,
    "severity" "Severity" NOT NULL,
    "description" TEXT NOT NULL,
    "reported_by_contact_id" UUID,
    "owner_slack_id" TEXT NOT NULL,
    "status" "ComplaintStatus" NOT NULL DEFAULT 'open',
    "resolution" TEXT,
    "message_channel_id" TEXT,
    "message_ts" TEXT,
    "source_permalink" TEXT,
    "submission_key" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "complaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "complaint_event" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "from_status" "ComplaintStatus",
    "to_status" "ComplaintStatus" NOT NULL,
    "note" TEXT,
    "actor_slack_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "complaint_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "warning_sign" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "kind" "SignKind" NOT NULL,
    "observed_on" DATE NOT NULL,
    "details" TEXT NOT NULL,
    "competitor_name" TEXT,
    "competitor_moves" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "old_contact_id" UUID,
    "new_contact_id" UUID,
    "source_permalink" TEXT,
    "submission_key" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "warning_sign_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "interaction_submission_key_key" ON "interaction"("submission_key");

-- CreateIndex
CREATE INDEX "interaction_account_id_occurred_on_idx" ON "interaction"("account_id", "occurred_on");

-- CreateIndex
CREATE INDEX "follow_up_owner_slack_id_done_at_due_on_idx" ON "follow_up"("owner_slack_id", "done_at", "due_on");

-- CreateIndex
CREATE INDEX "follow_up_account_id_idx" ON "follow_up"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "complaint_submission_key_key" ON "complaint"("submission_key");

-- CreateIndex
CREATE INDEX "complaint_account_id_status_idx" ON "complaint"("account_id", "status");

-- CreateIndex
CREATE INDEX "complaint_owner_slack_id_status_idx" ON "complaint"("owner_slack_id", "status");

-- CreateIndex
CREATE INDEX "complaint_event_complaint_id_at_idx" ON "complaint_event"("complaint_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "warning_sign_submission_key_key" ON "warning_sign"("submission_key");

-- CreateIndex
CREATE INDEX "warning_sign_account_id_observed_on_idx" ON "warning_sign"("account_id", "observed_on");

-- AddForeignKey
ALTER TABLE "interaction" ADD CONSTRAINT "interaction_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_interaction_id_fkey" FOREIGN KEY ("interaction_id") REFERENCES "interaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_reported_by_contact_id_fkey" FOREIGN KEY ("reported_by_contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "complaint_event" ADD CONSTRAINT "complaint_event_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "warning_sign" ADD CONSTRAINT "warning_sign_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "warning_sign" ADD CONSTRAINT "warning_sign_old_contact_id_fkey" FOREIGN KEY ("old_contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "warning_sign" ADD CONSTRAINT "warning_sign_new_contact_id_fkey" FOREIGN KEY ("new_contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
