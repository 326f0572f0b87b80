#!/usr/bin/env bash
# Runs one local Edge Function worker ("$@" is the deno command) so that it never outlives
# the gateway that started it, however the gateway ends (even kill -9): the gateway holds
# the write end of this script's stdin, the kernel closes it when the gateway dies, and
# end-of-input here stops the worker. An orphaned worker once kept running with the
# service-role key in its environment.
exec 3<&0
"$@" </dev/null &
worker=$!
cat <&3 >/dev/null &
lifeline=$!
exec 3<&-
trap 'kill "$worker" 2>/dev/null' TERM INT HUP
# Whichever ends first, the worker or the gateway's end of the pipe, ends the other.
wait -n "$worker" "$lifeline"
kill "$worker" "$lifeline" 2>/dev/null
wait "$worker"
