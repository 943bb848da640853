'use strict';
/** CPU seconds (user + system, reaped children included) of a process and its descendants, from Linux's /proc. */
const fs = require('node:fs');

function treeCpuSeconds(rootPid) {
  const stats = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      stats.push({ pid: Number(d), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100 });
    } catch {
      /* gone */
    }
  }
  return inTree(stats, rootPid).reduce((a, s) => a + s.cpu, 0);
}

/** The entries of `stats` ({ pid, ppid, … }) that are rootPid or one of its descendants. */
function inTree(stats, rootPid) {
  const pids = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats)
      if (!pids.has(s.pid) && pids.has(s.ppid)) {
        pids.add(s.pid);
        grew = true;
      }
  }
  return stats.filter((s) => pids.has(s.pid));
}

module.exports = { treeCpuSeconds, inTree };
