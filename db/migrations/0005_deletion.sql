ALTER TABLE "videos" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "jobs_open_cleanup_idx" ON "jobs" USING btree ("video_id") WHERE "jobs"."kind" = 'cleanup' and "jobs"."state" <> 'succeeded';--> statement-breakpoint
-- Videos deleted before this migration: date them, stop their jobs and uploads, and queue the
-- cleanup that was never done, so their files go and their owners get the quota back.
UPDATE "videos" SET "deleted_at" = "updated_at" WHERE "state" = 'deleted' AND "deleted_at" IS NULL;--> statement-breakpoint
UPDATE "jobs" SET "state" = 'cancelled', "lease_expires_at" = NULL, "finished_at" = now()
  WHERE "state" IN ('pending', 'leased') AND "kind" <> 'cleanup'
  AND "video_id" IN (SELECT "id" FROM "videos" WHERE "state" = 'deleted');--> statement-breakpoint
UPDATE "uploads" SET "state" = 'terminated'
  WHERE "state" = 'pending' AND "video_id" IN (SELECT "id" FROM "videos" WHERE "state" = 'deleted');--> statement-breakpoint
INSERT INTO "jobs" ("video_id", "kind", "max_attempts")
  SELECT "v"."id", 'cleanup', 100 FROM "videos" "v"
  WHERE "v"."state" = 'deleted'
  AND NOT EXISTS (SELECT 1 FROM "jobs" "j" WHERE "j"."video_id" = "v"."id" AND "j"."kind" = 'cleanup');
