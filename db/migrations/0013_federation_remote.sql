CREATE TABLE "federation_following" (
	"user_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"follow_activity_id" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "federation_following_user_id_channel_id_pk" PRIMARY KEY("user_id","channel_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "remote_actor_id" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "remote_actor_id" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "remote_inbox" text;--> statement-breakpoint
ALTER TABLE "video_comments" ADD COLUMN "remote_id" text;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "remote_url" text;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "remote_media" jsonb;--> statement-breakpoint
ALTER TABLE "federation_following" ADD CONSTRAINT "federation_following_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "federation_following" ADD CONSTRAINT "federation_following_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "federation_following_activity_key" ON "federation_following" USING btree ("follow_activity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_remote_actor_key" ON "users" USING btree ("remote_actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "channels_remote_actor_key" ON "channels" USING btree ("remote_actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "video_comments_remote_id_key" ON "video_comments" USING btree ("remote_id");--> statement-breakpoint
CREATE UNIQUE INDEX "videos_remote_url_key" ON "videos" USING btree ("remote_url");