-- CreateEnum
CREATE TYPE "ChurnWarningStatus" AS ENUM ('pending', 'posted', 'acknowledged', 'snoozed');

-- CreateTable
CREATE TABLE "churn_warning" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "assessment_id" UUID,
    "as_of" DATE NOT NULL,
    "risk" INTEGER NOT NULL,
    "band" "RiskBand" NOT NULL,
    "previous_band" "RiskBand",
    "new_signal_codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reasons" JSONB NOT NULL,
    "verdict" "RetentionVerdict" NOT NULL,
    "verdict_headline" TEXT NOT NULL,
    "actions" JSONB NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "status" "ChurnWarningStatus" NOT NULL DEFAULT 'pending',
    "claimed_at" TIMESTAMPTZ(3),
    "post_attempts" INTEGER NOT NULL DEFAULT 0,
    "last_post_error" TEXT,
    "channel_id" TEXT,
    "message_ts" TEXT,
    "intended_channel_id" TEXT,
    "misroute_error" TEXT,
    "posted_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "acknowledged_at" TIMESTAMPTZ(3),
    "snoozed_by" TEXT,
    "snoozed_until" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "churn_warning_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "churn_warning_dedupe_key_key" ON "churn_warning"("dedupe_key");

-- CreateIndex
CREATE INDEX "churn_warning_status_idx" ON "churn_warning"("status");

-- CreateIndex
CREATE INDEX "churn_warning_account_id_snoozed_until_idx" ON "churn_warning"("account_id", "snoozed_until");

-- AddForeignKey
ALTER TABLE "churn_warning" ADD CONSTRAINT "churn_warning_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "churn_warning" ADD CONSTRAINT "churn_warning_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "risk_assessment"("id") ON DELETE SET NULL ON UPDATE CASCADE;
