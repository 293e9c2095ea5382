-- AlterTable
ALTER TABLE "channels" ADD COLUMN     "inbox_version" INTEGER NOT NULL DEFAULT 1;
