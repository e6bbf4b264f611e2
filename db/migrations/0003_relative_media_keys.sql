-- Media keys are stored relative to their video (protocol/media.ts): wave 1 wrote absolute keys,
-- `videos/<id>/hls/master.m3u8`, which become `hls/master.m3u8`. The storyboard image is no longer
-- stored: the storyboard's WebVTT names it. Keys that are already relative are left alone.
UPDATE "videos" AS v
SET "assets" = (
  SELECT coalesce(jsonb_object_agg(
    e.key,
    CASE
      WHEN jsonb_typeof(e.value) = 'string' AND starts_with(e.value #>> '{}', 'videos/' || v.id::text || '/')
        THEN to_jsonb(substr(e.value #>> '{}', length('videos/' || v.id::text || '/') + 1))
      ELSE e.value
    END
  ), '{}'::jsonb)
  FROM jsonb_each(v."assets" - 'storyboardImage') AS e
)
WHERE jsonb_typeof(v."assets") = 'object';
--> statement-breakpoint
UPDATE "renditions" AS r
SET "playlist_key" = substr(r."playlist_key", length('videos/' || r."video_id"::text || '/') + 1)
WHERE starts_with(r."playlist_key", 'videos/' || r."video_id"::text || '/');
