-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "hint" TEXT;
