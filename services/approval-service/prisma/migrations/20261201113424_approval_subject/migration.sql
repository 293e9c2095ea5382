-- AlterTable
ALTER TABLE "approvals" ADD COLUMN     "subject" JSON;
