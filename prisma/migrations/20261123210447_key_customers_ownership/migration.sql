-- CreateEnum
CREATE TYPE "CustomerFace" AS ENUM ('red', 'white', 'black');

-- CreateEnum
CREATE TYPE "RelationshipType" AS ENUM ('transactional', 'partnership');

-- CreateEnum
CREATE TYPE "KeyBasis" AS ENUM ('revenue', 'designated');

-- CreateEnum
CREATE TYPE "LoyaltyDirection" AS ENUM ('improving', 'steady', 'worsening');

-- CreateEnum
CREATE TYPE "OwnerChangeReason" AS ENUM ('handover', 'rep_leaving', 'deactivated', 'assigned');

-- CreateEnum
CREATE TYPE "RepDepartureSource" AS ENUM ('deactivated', 'recorded');

-- CreateEnum
CREATE TYPE "OwnerReminderKind" AS ENUM ('cadence', 'birthday', 'founding_anniversary', 'first_order_anniversary', 'holiday');

-- AlterTable
ALTER TABLE "account" ADD COLUMN     "black_face_by" TEXT,
ADD COLUMN     "black_face_reason" TEXT,
ADD COLUMN     "founded_on" DATE,
ADD COLUMN     "integrated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "invested_in_us" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "key_designated_by" TEXT,
ADD COLUMN     "relationship_override" "RelationshipType",
ADD COLUMN     "trained" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "account_class" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "scan_id" UUID,
    "from_day" DATE NOT NULL,
    "key_basis" "KeyBasis",
    "trailing_revenue" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "face" "CustomerFace",
    "relationship" "RelationshipType" NOT NULL,
    "loyalty" "LoyaltyRead",
    "loyalty_direction" "LoyaltyDirection",
    "why" JSONB NOT NULL,
    "announced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_class_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_owner_change" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "from_slack_id" TEXT,
    "to_slack_id" TEXT,
    "reason" "OwnerChangeReason" NOT NULL,
    "changed_by" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_owner_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rep_departure" (
    "slack_id" TEXT NOT NULL,
    "source" "RepDepartureSource" NOT NULL,
    "recorded_by" TEXT,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "alerted_at" TIMESTAMPTZ(3),

    CONSTRAINT "rep_departure_pkey" PRIMARY KEY ("slack_id")
);

-- CreateTable
CREATE TABLE "slack_user" (
    "slack_id" TEXT NOT NULL,
    "time_zone" TEXT,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_user_pkey" PRIMARY KEY ("slack_id")
);

-- CreateTable
CREATE TABLE "owner_reminder" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "kind" "OwnerReminderKind" NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "occasion_on" DATE NOT NULL,
    "owner_slack_id" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "owner_reminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_submission" (
    "key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_submission_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "account_class_account_id_created_at_idx" ON "account_class"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "account_owner_change_account_id_at_idx" ON "account_owner_change"("account_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "owner_reminder_kind_account_id_subject_occasion_on_key" ON "owner_reminder"("kind", "account_id", "subject", "occasion_on");

-- AddForeignKey
ALTER TABLE "account_class" ADD CONSTRAINT "account_class_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_owner_change" ADD CONSTRAINT "account_owner_change_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "owner_reminder" ADD CONSTRAINT "owner_reminder_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A black face is a manager's designation with its reason: both or neither.
ALTER TABLE "account" ADD CONSTRAINT "account_black_face_reason" CHECK (("black_face_by" IS NULL) = ("black_face_reason" IS NULL));
-- A class's trailing revenue is never negative (refunds do not make revenue negative).
ALTER TABLE "account_class" ADD CONSTRAINT "account_class_revenue_not_negative" CHECK ("trailing_revenue" >= 0);
