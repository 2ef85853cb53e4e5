/* The people directory's "Who knows about…?" box and its topic and team filters (partials/wol-people.html).
 *
 * It reads api/people.json ([{handle, name, url, title, team, team_name, left, earned: [{tag, score}],
 * declared: [tag]}]). "Who knows about…?" matches the words against topics (tag, title, aliases) and
 * ranks people by the expertise they EARNED there (votes on their contributions, accepted answers),
 * best first; people who only declared it follow, marked so; former colleagues are left out. How much
 * someone wrote counts for nothing. The topic and team filters hide the directory's other rows.
 */
(function () {
  "use strict";
  var W = window.WolWords || { say: function (m) { return m; }, sayN: function (m, n) { return m.replace("%(n)s", n); } };
  var say = W.say, sayN = W.sayN;  // the site's language (wol.js, wol/stage/scripts.py)
  var form = document.querySelector("[data-wol-people]");
  if (!form) return;
  var who = form.querySelector("#wol-who");
  var topicSelect = form.querySelector("#wol-people-topic");
  var teamSelect = form.querySelector("#wol-people-team");
  var status = form.querySelector(".wol-people-find__status");
  var results = form.querySelector(".wol-people-find__results");
  var page = document.querySelector(".wol-page--people");
  var people = [], byHandle = {};
  var root = (window.WolSite && window.WolSite.root) || new URL("../", window.location.href);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fold(text) {
    return String(text || "").normalize("NFC").toLowerCase().replace(/^#/, "").trim();
  }

  var topics = Array.prototype.slice.call(topicSelect.options, 1).map(function (option) {
    return { tag: option.value, title: option.textContent,
             aliases: (option.getAttribute("data-aliases") || "").split(" ").filter(Boolean) };
  });
  var titles = {};
  topics.forEach(function (t) { titles[t.tag] = t.title; });

  /** The topics a query names: exactly (a tag or an alias), else by the start of a tag, alias or title word. */
  function matchTopics(query) {
    var q = fold(query), dashed = q.replace(/\s+/g, "-");
    if (!q) return [];
    var exact = topics.filter(function (t) {
      return t.tag === q || t.tag === dashed || t.aliases.indexOf(q) >= 0 || t.aliases.indexOf(dashed) >= 0 ||
             fold(t.title) === q;
    });
    if (exact.length) return exact;
    return topics.filter(function (t) {
      var words = [t.tag].concat(t.aliases, fold(t.title).split(/\s+/));
      return words.some(function (w) { return w.indexOf(dashed) === 0 || w.indexOf(q) === 0; });
    });
  }

  function earnedOn(person, tags) {
    var score = 0;
    person.earned.forEach(function (e) { if (tags.indexOf(e.tag) >= 0) score += e.score; });
    return score;
  }

  /** People who know about these topics: earned score first (best first, then by name), declared after. */
  function rank(tags) {
    var found = [];
    people.forEach(function (p) {
      if (p.left) return;
      var score = earnedOn(p, tags);
      var declared = p.declared.some(function (t) { return tags.indexOf(t) >= 0; });
      if (score > 0 || declared) found.push({ person: p, score: score });
    });
    return found.sort(function (a, b) {
      return b.score - a.score || a.person.name.localeCompare(b.person.name);
    });
  }

  function paintWho() {
    var query = who.value.trim();
    results.textContent = "";
    if (!query) { results.hidden = true; status.textContent = ""; return; }
    var matched = matchTopics(query);
    var tags = matched.map(function (t) { return t.tag; });
    var found = matched.length ? rank(tags) : [];
    var names = matched.map(function (t) { return t.title; }).join(", ");
    status.textContent = !matched.length ? say("No topic matches “%(query)s”.", { query: query })
      : found.length === 0 ? say("No one has earned expertise on %(topics)s yet.", { topics: names })
      : sayN("%(n)s person knows about %(topics)s, most useful first.", found.length, { topics: names },
             "%(n)s people know about %(topics)s, most useful first.");
    found.forEach(function (f) {
      var li = el("li", "wol-who");
      var link = el("a", "wol-who__name", f.person.name);
      link.href = new URL("people/" + encodeURIComponent(f.person.handle) + "/", root).href;
      li.appendChild(link);
      var facts = [f.person.title, f.person.team_name].filter(Boolean).join(" · ");
      if (facts) li.appendChild(el("span", "wol-who__facts", facts));
      var detail = f.person.earned.filter(function (e) { return tags.indexOf(e.tag) >= 0; }).map(function (e) {
        return (titles[e.tag] || e.tag) + " · " + e.score;
      }).join(", ");
      li.appendChild(el("span", "wol-who__score", f.score > 0 ? say("Earned: %(detail)s", { detail: detail }) : say("Declared, not earned yet")));
      results.appendChild(li);
    });
    results.hidden = found.length === 0;
  }

  /** The directory's rows (one per person, under their team's heading) shown or hidden by the filters. */
  function filterRows() {
    var topic = topicSelect.value, team = teamSelect.value, shown = 0;
    var rows = page ? page.querySelectorAll(":scope > ul > li") : [];
    for (var i = 0; i < rows.length; i++) {
      var link = rows[i].querySelector("a");
      var path = link ? new URL(link.getAttribute("href"), window.location.href).pathname.split("/") : [];
      var person = byHandle[decodeURIComponent(path[path.length - 2] || "")];
      var keep = !!person && (!team || person.team === team) &&
        (!topic || person.declared.indexOf(topic) >= 0 || person.earned.some(function (e) { return e.tag === topic; }));
      rows[i].hidden = !keep;
      if (keep) shown++;
    }
    var lists = page ? page.querySelectorAll(":scope > ul") : [];
    for (var j = 0; j < lists.length; j++) {
      var any = lists[j].querySelector(":scope > li:not([hidden])");
      lists[j].hidden = !any;
      var heading = lists[j].previousElementSibling;
      if (heading && heading.tagName === "H2") heading.hidden = !any;
    }
    if (!who.value.trim()) {
      status.textContent = topic || team ? sayN("%(n)s person shown.", shown, null, "%(n)s people shown.") : "";
    }
  }

  fetch(form.getAttribute("data-src"), { headers: { Accept: "application/json" } }).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (data) {
    people = data;
    people.forEach(function (p) { byHandle[p.handle] = p; });
    form.hidden = false;
    who.addEventListener("input", paintWho);
    topicSelect.addEventListener("change", filterRows);
    teamSelect.addEventListener("change", filterRows);
    var asked = new URLSearchParams(window.location.search);
    if (asked.get("who")) { who.value = asked.get("who"); paintWho(); }
  }).catch(function () { /* no API: the directory alone */ });
})();
