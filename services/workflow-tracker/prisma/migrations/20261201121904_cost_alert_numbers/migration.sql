-- DropIndex (alerts are listed by their number now)
DROP INDEX "cost_alerts_workflow_id_id_idx";

-- AlterTable: number the alerts already written 1, 2, 3… per workflow, in the order they were written.
ALTER TABLE "cost_alerts" ADD COLUMN     "number" INTEGER;
UPDATE "cost_alerts" SET "number" = numbered.n
  FROM (SELECT id, row_number() OVER (PARTITION BY workflow_id ORDER BY id) AS n FROM "cost_alerts") AS numbered
 WHERE "cost_alerts".id = numbered.id;
ALTER TABLE "cost_alerts" ALTER COLUMN "number" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "cost_alerts_workflow_id_number_key" ON "cost_alerts"("workflow_id", "number");
