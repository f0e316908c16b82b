// shotrelay studio: live board over server-sent events, and actions posted with the token.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="shotrelay-token"]').content;
  var toast = document.getElementById("toast");

  function say(text, bad) {
    toast.textContent = text;
    toast.className = bad ? "show bad" : "show";
    clearTimeout(say.timer);
    say.timer = setTimeout(function () { toast.className = ""; }, 6000);
  }

  function body(el, submitter) {
    if (el.dataset.body) { return JSON.parse(el.dataset.body); }
    var data = {};
    if (el.tagName === "FORM") {
      new FormData(el).forEach(function (v, k) { data[k] = v; });
      el.querySelectorAll('input[type="checkbox"]').forEach(function (c) {
        data[c.name] = c.checked;
      });
      if (submitter && submitter.name) { data[submitter.name] = submitter.value; }
    }
    return data;
  }

  function act(el, submitter) {
    if (el.dataset.confirm && !window.confirm(el.dataset.confirm)) { return; }
    var busy = submitter || el;
    busy.disabled = true;
    fetch(el.dataset.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shotrelay-Token": token },
      body: JSON.stringify(body(el, submitter)),
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, j: j }; });
    }).then(function (res) {
      say(res.ok ? res.j.message : res.j.error, !res.ok);
      document.body.dataset.lastAction = res.ok ? "ok" : "error";
      if (res.ok && el.dataset.reload) { setTimeout(function () { location.reload(); }, 400); }
    }).catch(function (err) {
      say("the studio did not answer: " + err, true);
    }).finally(function () { busy.disabled = false; });
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target.closest("form[data-action]");
    if (!form) { return; }
    ev.preventDefault();
    act(form, ev.submitter);
  });
  document.addEventListener("click", function (ev) {
    var play = ev.target.closest("[data-play]");
    if (play) {
      var player = document.getElementById("player");
      if (player) { player.src = play.dataset.play; player.play().catch(function () {}); }
      return;
    }
    var button = ev.target.closest("button[data-action]");
    if (button && !button.form) { act(button, null); }
  });

  var stream = document.body.dataset.stream;
  if (stream && window.EventSource) {
    var source = new EventSource(stream);
    source.addEventListener("board", function (ev) {
      var live = document.querySelector('[data-live="board"]');
      if (live) { live.innerHTML = ev.data; }
      document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
    });
    window.addEventListener("beforeunload", function () { source.close(); });
  }
})();
