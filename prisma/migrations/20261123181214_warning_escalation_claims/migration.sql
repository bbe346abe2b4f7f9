-- AlterTable
ALTER TABLE "churn_warning" ADD COLUMN     "escalation_claimed_at" TIMESTAMPTZ(3);
