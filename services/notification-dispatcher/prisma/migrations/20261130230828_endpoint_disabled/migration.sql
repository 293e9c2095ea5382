-- AlterTable
ALTER TABLE "event_endpoints" ADD COLUMN     "disabled_at" TIMESTAMPTZ(3);
