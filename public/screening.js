/*
 * Screening call page: one step at a time, with the live verdict for each answer.
 * The server decides every verdict and the score (POST /api/v1/screening/match and /preview
 * run the same scoring functions as the recorded session); this script only shows them.
 * Without it the page still works: every step is shown and the form posts normally.
 */
(function () {
  'use strict';
  var form = document.getElementById('screening-form');
  if (!form || !window.fetch) return;

  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var openingId = form.getAttribute('data-opening-id');
  var formVersion = Number(form.getAttribute('data-form-version'));
  var steps = Array.prototype.slice.call(form.querySelectorAll('.step'));
  var questions = Array.prototype.slice.call(form.querySelectorAll('.step.question'));
  var nav = form.querySelector('.stepnav');
  var prev = document.getElementById('step-prev');
  var next = document.getElementById('step-next');
  var progress = document.getElementById('progress');
  var summary = document.getElementById('summary');
  var current = 0;

  function post(path, body) {
    return fetch('/api/v1' + path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res.json().then(function (data) { return { ok: res.ok, status: res.status, body: data }; });
    });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ------------------------------------------------------------ answers and live verdicts

  function parts(section) {
    var i = section.getAttribute('data-index');
    return {
      id: section.getAttribute('data-question-id'),
      prompt: document.getElementById('script-' + i).textContent,
      given: document.getElementById('given_' + i),
      verdict: document.getElementById('verdict_' + i),
      override: document.getElementById('override_' + i),
      note: document.getElementById('note_' + i),
    };
  }

  function answers() {
    return questions.map(function (section) {
      var p = parts(section);
      var a = { questionId: p.id, given: p.given.value };
      if (p.override.value === 'correct') a.override = true;
      if (p.override.value === 'wrong') a.override = false;
      if (p.note.value.trim() !== '') a.note = p.note.value;
      return a;
    });
  }

  function showVerdict(p, matched, matchedAgainst) {
    var text;
    var cls;
    if (p.given.value.trim() === '') {
      text = 'No answer yet: an empty answer counts as a miss.';
      cls = 'muted';
    } else if (matched) {
      text = '✓ Correct (matches “' + matchedAgainst + '”)';
      cls = 'ok';
    } else {
      text = '✗ No match';
      cls = 'error';
    }
    if (p.override.value) {
      text += ' · your verdict: ' + (p.override.value === 'correct' ? 'correct' : 'wrong');
      if (p.note.value.trim() === '') text += ' (add a note)';
    }
    p.verdict.textContent = text;
    p.verdict.className = 'verdict ' + cls;
    p.verdict.setAttribute('data-matched', matched ? 'true' : 'false');
  }

  questions.forEach(function (section) {
    var p = parts(section);
    var timer = null;
    var seq = 0;
    var last = { matched: false, matchedAgainst: '' };
    function check() {
      var mine = ++seq;
      if (p.given.value.trim() === '') {
        last = { matched: false, matchedAgainst: '' };
        showVerdict(p, false, '');
        return;
      }
      p.verdict.setAttribute('aria-busy', 'true');
      post('/screening/match', { openingId: openingId, formVersion: formVersion, questionId: p.id, given: p.given.value }).then(function (r) {
        if (mine !== seq) return; // a newer keystroke already asked
        p.verdict.removeAttribute('aria-busy');
        if (!r.ok) {
          p.verdict.textContent = 'Could not check this answer: ' + (r.body && r.body.message ? r.body.message : 'error ' + r.status);
          p.verdict.className = 'verdict error';
          return;
        }
        last = { matched: r.body.matched, matchedAgainst: r.body.matchedAgainst || '' };
        showVerdict(p, last.matched, last.matchedAgainst);
      }, function () {
        if (mine !== seq) return;
        p.verdict.textContent = 'Could not check this answer (network error); it will be scored when you save.';
        p.verdict.className = 'verdict error';
      });
    }
    p.given.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(check, 150);
    });
    p.given.addEventListener('change', function () {
      clearTimeout(timer);
      check();
    });
    var redraw = function () { showVerdict(p, last.matched, last.matchedAgainst); };
    p.override.addEventListener('change', redraw);
    p.note.addEventListener('input', redraw);
  });

  // ------------------------------------------------------------ summary (score + suggested outcome)

  var advance = document.getElementById('advance');
  var reject = document.getElementById('reject');

  function suggest(which) {
    if (advance) advance.className = which === 'advance' ? '' : 'secondary';
    if (reject) reject.className = which === 'reject' ? 'danger' : 'secondary';
  }

  function summarize() {
    summary.textContent = '';
    summary.appendChild(el('p', { class: 'muted' }, 'Calculating the score…'));
    post('/screening/preview', { openingId: openingId, formVersion: formVersion, answers: answers() }).then(function (r) {
      summary.textContent = '';
      if (!r.ok) {
        var problems = r.body && r.body.fields ? r.body.fields : [];
        summary.appendChild(el('p', { class: 'error', role: 'alert' }, r.body && r.body.message ? String(r.body.message) : 'The score could not be calculated (error ' + r.status + ').'));
        if (problems.length) {
          var ul = el('ul');
          problems.forEach(function (f) { ul.appendChild(el('li', {}, (f.errors || []).join('; '))); });
          summary.appendChild(ul);
        }
        suggest(null);
        return;
      }
      var b = r.body;
      var threshold = form.getAttribute('data-pass-threshold');
      var score = el('p', { class: 'script', id: 'score' }, 'Score: ' + b.score + '% (pass mark ' + threshold + '%)');
      summary.appendChild(score);
      var verdict;
      if (b.passed) {
        verdict = el('p', { id: 'suggestion', class: 'ok' }, 'Suggested outcome: advance. The candidate passed the screening.');
      } else if (b.knockoutFailed) {
        var missed = questions
          .map(parts)
          .filter(function (p) { return b.failedKnockouts.indexOf(p.id) >= 0; })
          .map(function (p) { return '“' + p.prompt + '”'; });
        verdict = el('p', { id: 'suggestion', class: 'error' }, 'Suggested outcome: reject. Missed a must-answer question: ' + missed.join(', ') + '.');
      } else {
        verdict = el('p', { id: 'suggestion', class: 'error' }, 'Suggested outcome: reject. The score is below the pass mark of ' + threshold + '%.');
      }
      summary.appendChild(verdict);
      var list = el('ul', { class: 'verdicts' });
      b.answers.forEach(function (a, i) {
        list.appendChild(el('li', {}, 'Question ' + (i + 1) + ': ' + (a.matched ? 'correct' : 'wrong') + (a.override !== null ? ' (your verdict)' : '')));
      });
      summary.appendChild(list);
      suggest(b.passed ? 'advance' : 'reject');
    }, function () {
      summary.textContent = '';
      summary.appendChild(el('p', { class: 'error', role: 'alert' }, 'Could not reach the server to calculate the score; saving will still score it.'));
    });
  }

  // ------------------------------------------------------------ one step at a time

  function show(i, focus) {
    current = Math.max(0, Math.min(steps.length - 1, i));
    steps.forEach(function (s, j) { s.hidden = j !== current; });
    prev.disabled = current === 0;
    next.hidden = current === steps.length - 1;
    var kind = steps[current].getAttribute('data-step');
    var label = kind === 'question'
      ? 'Question ' + (questions.indexOf(steps[current]) + 1) + ' of ' + questions.length
      : kind === 'intro' ? 'Introduction' : kind === 'next-job' ? 'Next job' : 'Result';
    progress.textContent = 'Step ' + (current + 1) + ' of ' + steps.length + ': ' + label;
    if (kind === 'result') summarize();
    if (focus) {
      var h = steps[current].querySelector('h2');
      if (h) h.focus();
    }
  }

  form.classList.add('stepped');
  nav.hidden = false;
  prev.addEventListener('click', function () { show(current - 1, true); });
  next.addEventListener('click', function () { show(current + 1, true); });
  form.addEventListener('keydown', function (e) {
    // Enter in an answer box moves on to the next step (never submits the form).
    if (e.key === 'Enter' && e.target && e.target.tagName === 'INPUT' && e.target.type === 'text') {
      e.preventDefault();
      e.target.dispatchEvent(new Event('change'));
      show(current + 1, true);
    }
  });
  var submitting = false;
  form.addEventListener('submit', function (e) {
    if (submitting) {
      e.preventDefault(); // one click, one screening
      return;
    }
    var missingNote = questions.map(parts).filter(function (p) { return p.override.value && p.note.value.trim() === ''; });
    if (missingNote.length) {
      // The server refuses it too; say so here before leaving the page.
      e.preventDefault();
      var section = missingNote[0].given.closest('.step');
      show(steps.indexOf(section), false);
      var d = section.querySelector('details');
      if (d) d.open = true;
      missingNote[0].note.focus();
      missingNote[0].verdict.textContent = 'Add a note explaining your verdict, or keep the automatic one.';
      missingNote[0].verdict.className = 'verdict error';
      return;
    }
    submitting = true;
    form.setAttribute('aria-busy', 'true');
  });
  show(0, false);
})();
