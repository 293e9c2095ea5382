-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "resends" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "delivery_attempts" ADD COLUMN     "resend" INTEGER NOT NULL DEFAULT 0;
