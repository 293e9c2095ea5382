-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "previous_secret_valid_until" TIMESTAMPTZ(3),
ADD COLUMN     "previous_signing_secret" TEXT,
ADD COLUMN     "signing_secret" TEXT;
