-- CreateEnum
CREATE TYPE "RiskBand" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "RetentionVerdict" AS ENUM ('fight_hard', 'retain', 'let_go', 'blacklist_candidate');

-- AlterTable
ALTER TABLE "account" ADD COLUMN     "bad_faith" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "indirect_value" BIGINT,
ADD COLUMN     "long_term_note" TEXT,
ADD COLUMN     "long_term_value" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "market_disruption" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "retention_cost" BIGINT;

-- CreateTable
CREATE TABLE "risk_scan" (
    "id" UUID NOT NULL,
    "as_of" DATE NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "model_r" DOUBLE PRECISION,
    "model_alpha" DOUBLE PRECISION,
    "model_a" DOUBLE PRECISION,
    "model_b" DOUBLE PRECISION,
    "log_likelihood" DOUBLE PRECISION,
    "accounts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "risk_scan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_assessment" (
    "id" UUID NOT NULL,
    "scan_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "as_of" DATE NOT NULL,
    "risk" INTEGER NOT NULL,
    "band" "RiskBand" NOT NULL,
    "p_alive" DOUBLE PRECISION,
    "expected_orders_13w" DOUBLE PRECISION,
    "verdict" "RetentionVerdict" NOT NULL,
    "reasons" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_assessment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "risk_scan_as_of_idx" ON "risk_scan"("as_of");

-- CreateIndex
CREATE INDEX "risk_assessment_account_id_as_of_idx" ON "risk_assessment"("account_id", "as_of");

-- CreateIndex
CREATE UNIQUE INDEX "risk_assessment_scan_id_account_id_key" ON "risk_assessment"("scan_id", "account_id");

-- AddForeignKey
ALTER TABLE "risk_assessment" ADD CONSTRAINT "risk_assessment_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "risk_scan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_assessment" ADD CONSTRAINT "risk_assessment_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
