// Collision warning on the ticket page: tells the server every 15 seconds
// (and when typing a reply) that this agent is viewing or replying to the
// ticket, and shows which other agents are on it right now, live from the
// event stream. Names are set as text, never as HTML.
(function () {
  "use strict";
  var HEARTBEAT = 15000, TYPING = 5000, IDLE = 30000;

  function start() {
    var box = document.getElementById("presence");
    if (!box || box.dataset.started) return;
    box.dataset.started = "1";
    var number = box.dataset.ticket, ticketId = Number(box.dataset.ticketId), self = Number(box.dataset.agent);
    var texts = { viewing: box.dataset.viewing, replying: box.dataset.replying };
    var others = {}; // agent id → {name, activity, until (ms)}
    var lastTyped = 0, lastReport = 0;

    function put(p) {
      if (p.agent_id === self) return;
      others[p.agent_id] = { name: p.name, activity: p.activity, until: Date.parse(p.until) || Date.now() + 40000 };
    }
    function render() {
      var now = Date.now(), list = document.createElement("ul");
      Object.keys(others).forEach(function (id) {
        var p = others[id];
        if (p.until <= now) { delete others[id]; return; }
        var li = document.createElement("li");
        li.className = "presence-" + (p.activity === "replying" ? "replying" : "viewing");
        li.textContent = (texts[p.activity] || texts.viewing).replace("%s", p.name);
        list.appendChild(li);
      });
      box.replaceChildren(list.childNodes.length ? list : document.createTextNode(""));
      box.hidden = !list.childNodes.length;
    }
    function report() {
      if (!document.body.contains(box)) { stop(); return; }
      lastReport = Date.now();
      var activity = Date.now() - lastTyped < IDLE ? "replying" : "viewing";
      fetch("/api/v1/tickets/" + encodeURIComponent(number) + "/presence", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ activity: activity })
      }).then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) { list.forEach(put); render(); })
        .catch(function () {});
    }

    var source = new EventSource("/api/v1/events");
    // data-live tells that warnings arrive live (the browser test waits for it).
    source.addEventListener("open", function () { box.dataset.live = "1"; });
    source.addEventListener("ticket.presence", function (ev) {
      var e;
      try { e = JSON.parse(ev.data); } catch (_) { return; }
      if (e.ticket_id !== ticketId || !e.data) return;
      put(e.data);
      render();
    });
    // hx-boost swaps pages without unloading them: stop once the box is gone.
    var timer = setInterval(function () {
      if (!document.body.contains(box)) { stop(); return; }
      render();
      if (Date.now() - lastReport >= HEARTBEAT) report();
    }, 5000);
    var reply = document.getElementById("reply-body");
    function typed() {
      var was = Date.now() - lastTyped < IDLE;
      lastTyped = Date.now();
      if (!was || Date.now() - lastReport >= TYPING) report();
    }
    if (reply) reply.addEventListener("input", typed);
    function stop() {
      clearInterval(timer);
      source.close();
      if (reply) reply.removeEventListener("input", typed);
    }
    report();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  document.addEventListener("htmx:load", start);
})();
