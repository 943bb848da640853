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
  const inTree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats)
      if (!inTree.has(s.pid) && inTree.has(s.ppid)) {
        inTree.add(s.pid);
        grew = true;
      }
  }
  return stats.filter((s) => inTree.has(s.pid)).reduce((a, s) => a + s.cpu, 0);
}

module.exports = { treeCpuSeconds };
