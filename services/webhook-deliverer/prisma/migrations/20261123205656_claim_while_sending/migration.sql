-- AlterTable
ALTER TABLE "webhooks" ADD COLUMN     "claimed_until" TIMESTAMPTZ(3);
