CREATE TABLE "federation_blocks" (
	"target" text PRIMARY KEY NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_deliveries" (
	"activity_id" text NOT NULL,
	"inbox" text NOT NULL,
	"host" text NOT NULL,
	"sender_actor" text NOT NULL,
	"activity" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "federation_deliveries_activity_id_inbox_pk" PRIMARY KEY("activity_id","inbox")
);
--> statement-breakpoint
CREATE TABLE "federation_followers" (
	"local_actor" text NOT NULL,
	"follower_id" text NOT NULL,
	"inbox" text NOT NULL,
	"shared_inbox" text,
	"follow_activity_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"gone_at" timestamp with time zone,
	CONSTRAINT "federation_followers_local_actor_follower_id_pk" PRIMARY KEY("local_actor","follower_id")
);
--> statement-breakpoint
CREATE TABLE "federation_inbound" (
	"activity_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_keys" (
	"actor" text PRIMARY KEY NOT NULL,
	"rsa_public_jwk" jsonb NOT NULL,
	"rsa_private_sealed" text NOT NULL,
	"ed25519_public_jwk" jsonb NOT NULL,
	"ed25519_private_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_kv" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "federation_queue" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "federation_queue_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"message" jsonb NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "federation_deliveries_due_idx" ON "federation_deliveries" USING btree ("next_attempt_at") WHERE "federation_deliveries"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "federation_inbound_received_idx" ON "federation_inbound" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "federation_kv_expires_idx" ON "federation_kv" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "federation_queue_run_at_idx" ON "federation_queue" USING btree ("run_at");