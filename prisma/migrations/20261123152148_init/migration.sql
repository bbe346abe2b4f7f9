-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('active', 'at_risk', 'leaving', 'lost', 'blacklisted');

-- CreateEnum
CREATE TYPE "ContactRole" AS ENUM ('purchasing', 'decision_maker', 'user', 'finance', 'other');

-- CreateTable
CREATE TABLE "account" (
    "id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "owner_slack_id" TEXT,
    "channel_id" TEXT,
    "segment" TEXT,
    "region" TEXT,
    "status" "AccountStatus" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "external_id" TEXT,
    "name" TEXT NOT NULL,
    "role" "ContactRole" NOT NULL DEFAULT 'other',
    "email" TEXT,
    "phone" TEXT,
    "birthday" DATE,
    "started_on" DATE,
    "ended_on" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "ordered_at" TIMESTAMPTZ(3) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "amount" BIGINT NOT NULL,
    "cost" BIGINT,
    "currency" CHAR(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_external_id_key" ON "account"("external_id");

-- CreateIndex
CREATE INDEX "account_owner_slack_id_idx" ON "account"("owner_slack_id");

-- CreateIndex
CREATE UNIQUE INDEX "contact_external_id_key" ON "contact"("external_id");

-- CreateIndex
CREATE INDEX "contact_account_id_ended_on_idx" ON "contact"("account_id", "ended_on");

-- CreateIndex
CREATE UNIQUE INDEX "order_external_id_key" ON "order"("external_id");

-- CreateIndex
CREATE INDEX "order_account_id_ordered_at_idx" ON "order"("account_id", "ordered_at");

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
