-- AlterTable
ALTER TABLE "account_status_change" ADD COLUMN     "note" TEXT;
