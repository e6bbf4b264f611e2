CREATE TABLE "playback_revocations" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"video_id" uuid NOT NULL,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text NOT NULL,
	"event_key" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "suspended_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "playback_revocations_event_video_key" ON "playback_revocations" USING btree ("event_key","video_id");--> statement-breakpoint
CREATE INDEX "playback_revocations_video_idx" ON "playback_revocations" USING btree ("video_id","seq");--> statement-breakpoint
CREATE INDEX "playback_revocations_revoked_at_idx" ON "playback_revocations" USING btree ("revoked_at");