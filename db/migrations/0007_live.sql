ALTER TYPE "public"."video_state" ADD VALUE 'live';--> statement-breakpoint
ALTER TYPE "public"."video_state" ADD VALUE 'ended';--> statement-breakpoint
CREATE TABLE "live_endpoints" (
	"channel_id" uuid PRIMARY KEY NOT NULL,
	"key_hash" text NOT NULL,
	"srt_passphrase_hash" text NOT NULL,
	"key_generation" integer DEFAULT 1 NOT NULL,
	"srt_port" integer NOT NULL,
	"settings" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"key_rotated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel_id" uuid NOT NULL,
	"video_id" uuid NOT NULL,
	"job_id" uuid,
	"protocol" text NOT NULL,
	"node" text NOT NULL,
	"pull_base_url" text NOT NULL,
	"publisher" integer DEFAULT 1 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disconnected_at" timestamp with time zone,
	"reconnect_deadline" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "live_endpoints" ADD CONSTRAINT "live_endpoints_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD CONSTRAINT "live_sessions_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "live_endpoints_key_hash_key" ON "live_endpoints" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "live_endpoints_srt_passphrase_hash_key" ON "live_endpoints" USING btree ("srt_passphrase_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "live_endpoints_srt_port_key" ON "live_endpoints" USING btree ("srt_port");--> statement-breakpoint
CREATE UNIQUE INDEX "live_sessions_one_open_key" ON "live_sessions" USING btree ("channel_id") WHERE "live_sessions"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "live_sessions_deadline_idx" ON "live_sessions" USING btree ("reconnect_deadline") WHERE "live_sessions"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "live_sessions_video_idx" ON "live_sessions" USING btree ("video_id");