// The busybox shell scripts that run one container (passed with `sh -c`, never written to disk;
// every value is a positional argument, never spliced into the text). Applets are called by bare
// name: busybox's shell runs its own applets first (often without exec), which keeps a start
// near 10 forks; the host's PATH plays no part.
//
// shim (host, own session, outlives the runtime): makes the stdout/stderr FIFOs and stamps each
//   line `<RFC 3339>Z <stream> F <text>` into container.log with one awk per stream, flushed per
//   line (time = /proc/uptime, 10 ms steps, plus the wall clock's offset the runtime passes in:
//   busybox's `ts` buffers its output and its `date` has no sub-second format). A subshell then
//   writes its own pid into the container's cgroup(s) — everything it becomes or forks is inside
//   before the workload exists, no race — joins the pod's network namespace and unshares PID,
//   mount, UTS and IPC namespaces (busybox unshare reports a child killed by a signal as that
//   signal, unlike util-linux 2.38's, which exits 1). The shim waits for it and, once the logs
//   are flushed, writes `exit` = `<status> <epoch seconds.µs>`, so a restarted runtime still
//   learns how the container ended.
// init (PID 1 of the container): mounts the overlay (the runtime's base layer with /dev nodes
//   and mount points, the image's rootfs, a per-container upper dir), sets the hostname,
//   pivot_root's into it, mounts /proc and /sys, detaches the host's root and resolves the
//   command in the container's PATH; setup errors go to fd 3 (the runtime's start pipe, not the
//   container log) and end it with status 128. It then re-executes itself as the supervisor
//   below, which reports `ok <host pid>` on fd 3 and forks the workload with exactly the
//   container's environment, forwards TERM, INT, HUP, QUIT, USR1 and USR2 to it (a PID 1 without
//   handlers would ignore them) and exits with its status, 128 + n when signal n killed it, as
//   under `docker run --init`.

export const shimScript = `
bb=$1 cdir=$2 netns=$3 off=$4 init=$5
shift 5
cd "$cdir" || exit 125
rm -f out.pipe err.pipe exit exit.tmp
mkfifo out.pipe err.pipe || exit 125
stamp='{
  getline up < "/proc/uptime"; close("/proc/uptime"); split(up, f, " ")
  t = f[1] + off; sec = int(t)
  printf "%s.%02d0000Z %s F %s\\n", strftime("%Y-%m-%dT%H:%M:%S", sec), int((t - sec) * 100), s, $0
  fflush()
}'
TZ=UTC awk -v s=stdout -v off="$off" "$stamp" < out.pipe >> container.log 3>&- &
TZ=UTC awk -v s=stderr -v off="$off" "$stamp" < err.pipe >> container.log 3>&- &
(
  read -r me rest < /proc/self/stat
  exec 4>&2 2>&3
  while IFS= read -r f; do
    echo "$me" > "$f" || { echo "cannot join the cgroup $f" >&3; exit 125; }
  done < cgroup-procs
  exec nsenter --net="$netns" -F -- "$bb" unshare --pid --fork --mount --uts --ipc \\
    --propagation private -- "$bb" sh -c "$init" init "$bb" "$@"
) > out.pipe 2> err.pipe &
w=$!
exec 3>&-
wait "$w"
st=$?
wait
rm -f out.pipe err.pipe
t=$(echo | ts '%.s')
echo "$st $t" > exit.tmp
mv exit.tmp exit
`;

/**
 * PID 1 after the set-up, re-executed as `sh -s <argv>` with this script on stdin, so `ps` in
 * the container shows PID 1 as `sh -s /bin/sleep 3600` rather than the set-up script. The
 * environment entries arrive as MINIKU_ENV_<i>; the workload gets exactly those (`env -i`).
 */
const superviseScript = `
i=\${MINIKU_NENV:-0}
while [ "$i" -gt 0 ]; do
  i=$((i - 1))
  eval "set -- \\"\\$MINIKU_ENV_$i\\" \\"\\$@\\""
done
pending=$MINIKU_PENDING
for s in TERM INT HUP QUIT USR1 USR2; do trap "pending=$s" "$s"; done
sync=/dev/.miniku-init
mkfifo -m 600 "$sync" || { echo "cannot create $sync" >&3; exit 128; }
(exec 3>&-; echo > "$sync"; exec -a env /proc/self/exe -i -- "$@") < /dev/null &
child=$!
# The shell's own job messages ("Terminated") must not reach the container's log.
exec 2>/dev/null
for s in TERM INT HUP QUIT USR1 USR2; do trap "kill -$s $child" "$s"; done
# Until the child has reset the signal handlers it inherited, a signal sent to it is lost.
read -r _ < "$sync"
rm -f "$sync"
[ -z "$pending" ] || kill "-$pending" "$child"
(echo "ok $MINIKU_HOSTPID" >&3) 2>/dev/null
exec 3>&-
while :; do
  wait "$child"
  st=$?
  [ "$st" -le 128 ] && break
  kill -0 "$child" && continue
  wait "$child"
  again=$?
  [ "$again" -eq 127 ] || st=$again
  break
done
exit "$st"
`;

export const initScript = `
bb=$1 base=$2 lower=$3 cdir=$4 hn=$5 wd=$6 cpath=$7 nenv=$8
shift 8
pending=
for s in TERM INT HUP QUIT USR1 USR2; do trap "pending=$s" "$s"; done
read -r hostpid rest < /proc/self/stat
fail() { echo "$*" >&3; exit 128; }
mount -t overlay overlay \\
  -o "lowerdir=$base:$lower,upperdir=$cdir/upper,workdir=$cdir/work" "$cdir/merged" ||
  fail "cannot mount the container's root file system"
cd "$cdir/merged" || fail "cannot enter the container's root file system"
hostname "$hn" || fail "cannot set the hostname"
pivot_root . .oldroot || fail "pivot_root into the container's root file system failed"
cd /
"/.oldroot$bb" mount -t proc -o nosuid,nodev,noexec proc /proc || fail "cannot mount /proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /sys || fail "cannot mount /sys"
umount -l /.oldroot || fail "cannot detach the host's root"
rmdir /.oldroot || fail "cannot remove /.oldroot"
mkdir -p "$wd" && cd "$wd" || fail "chdir to cwd (\\"$wd\\") failed"
eval "cmd=\\\${$((nenv + 1))}"
case $cmd in
  */*) path=$cmd
    [ -f "$path" ] && [ -x "$path" ] ||
      fail "exec: \\"$cmd\\": stat $cmd: no such file or directory" ;;
  *) path=
    set -f
    ifs=$IFS
    IFS=:
    for d in $cpath; do
      [ -n "$d" ] || d=.
      if [ -f "$d/$cmd" ] && [ -x "$d/$cmd" ]; then path=$d/$cmd; break; fi
    done
    IFS=$ifs
    set +f
    [ -n "$path" ] || fail "exec: \\"$cmd\\": executable file not found in \\$PATH" ;;
esac
i=0
for a do
  [ "$i" -lt "$nenv" ] && export "MINIKU_ENV_$i=$a"
  i=$((i + 1))
done
shift "$((nenv + 1))"
set -- "$path" "$@"
export MINIKU_NENV="$nenv" MINIKU_HOSTPID="$hostpid" MINIKU_PENDING="$pending"
exec 2>&4 4>&-
exec -a sh /proc/self/exe -s "$@" <<'MINIKU_SUPERVISE'
${superviseScript}
MINIKU_SUPERVISE
`;
