-- CreateTable
CREATE TABLE "receivable" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "issued_on" DATE,
    "due_on" DATE NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "paid_on" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "receivable_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "receivable_external_id_key" ON "receivable"("external_id");

-- CreateIndex
CREATE INDEX "receivable_account_id_paid_on_due_on_idx" ON "receivable"("account_id", "paid_on", "due_on");

-- AddForeignKey
ALTER TABLE "receivable" ADD CONSTRAINT "receivable_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: what the import checks, kept true for every writer. Prisma leaves check constraints alone.
ALTER TABLE "receivable" ADD CONSTRAINT "receivable_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "receivable" ADD CONSTRAINT "receivable_due_after_issue" CHECK ("due_on" >= "issued_on");
ALTER TABLE "receivable" ADD CONSTRAINT "receivable_paid_after_issue" CHECK ("paid_on" >= "issued_on");
