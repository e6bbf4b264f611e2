#!/bin/sh
# FFMPEG_PATH for bench/scale: FFmpeg on one thread (filters and the encoder of its single output),
# so that the figure measures the queue rather than the machine's cores. Each run's start and end
# go to $BENCH_FFMPEG_LOG, from which the bench derives the time workers spend outside FFmpeg.
start=$(date +%s.%N)
# Every transcoder command has exactly one output, its last argument: -threads 1 goes right before it.
n=$#
i=0
for arg do
  i=$((i + 1))
  if [ "$i" -eq 1 ]; then set --; fi
  if [ "$i" -eq "$n" ]; then set -- "$@" -threads 1; fi
  set -- "$@" "$arg"
done
ffmpeg -filter_threads 1 -filter_complex_threads 1 "$@"
code=$?
[ -n "$BENCH_FFMPEG_LOG" ] && echo "$start $(date +%s.%N)" >>"$BENCH_FFMPEG_LOG"
exit $code
