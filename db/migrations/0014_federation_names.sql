CREATE TABLE "actor_names" (
	"name" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
-- Local usernames and channel handles share one namespace: each claims its lower-cased name here,
-- before the row is written, so a clash is a unique violation of actor_names_pkey.
CREATE FUNCTION "actor_names_claim"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_name text;
  new_name text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND (to_jsonb(OLD) ->> 'remote_actor_id') IS NULL THEN
    old_name := lower(to_jsonb(OLD) ->> TG_ARGV[0]);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (to_jsonb(NEW) ->> 'remote_actor_id') IS NULL THEN
    new_name := lower(to_jsonb(NEW) ->> TG_ARGV[0]);
  END IF;
  IF old_name IS DISTINCT FROM new_name THEN
    IF old_name IS NOT NULL THEN
      DELETE FROM "actor_names" WHERE "name" = old_name;
    END IF;
    IF new_name IS NOT NULL THEN
      INSERT INTO "actor_names" ("name") VALUES (new_name);
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
-- Names already shared by an account and a channel stay (the first claim wins); no new clash can be made.
INSERT INTO "actor_names" ("name") SELECT lower("username") FROM "users" WHERE "remote_actor_id" IS NULL ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "actor_names" ("name") SELECT lower("handle") FROM "channels" WHERE "remote_actor_id" IS NULL ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "actor_names" ("name") VALUES ('vidra-instance') ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER "users_actor_name" BEFORE INSERT OR UPDATE OF "username" OR DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION "actor_names_claim"('username');
--> statement-breakpoint
CREATE TRIGGER "channels_actor_name" BEFORE INSERT OR UPDATE OF "handle" OR DELETE ON "channels"
  FOR EACH ROW EXECUTE FUNCTION "actor_names_claim"('handle');
