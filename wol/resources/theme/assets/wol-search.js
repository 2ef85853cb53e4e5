/* wol's search box on every page ([data-wol-search], partials/wol-search.html): results as the reader types.
 *
 * Where the answers come from: the site's static index (wol-index.js, <site>/search/), or, when its
 * meta.json names a live API (`wol serve`) or the site has no index but answers <site>/api/search,
 * that API — so a document saved in the editor is found at once. Both rank as `wol search` does.
 * Filters: kind, a question's state, and topics (`#tag` words in the query; a result's chip adds one).
 * Keys: `/` focuses the box, ArrowUp/ArrowDown move, Enter opens, Esc closes (ARIA combobox + listbox).
 * Every text from the index goes into the page with textContent: titles and bodies stay inert.
 */
(function () {
  "use strict";

  var LIMIT = 10;
  var W = window.WolWords || { say: function (m) { return m; }, sayN: function (m, n) { return m.replace("%(n)s", n); } };
  var say = W.say, sayN = W.sayN;  // the site's language (wol.js, wol/stage/scripts.py)
  var KINDS = [["", say("All")], ["question", say("Questions")], ["post", say("Posts")], ["person", say("People")],
               ["topic", say("Topics")]];
  var STATES = [["", say("Any state")], ["unanswered", say("Unanswered")], ["answered", say("Answered")],
                ["solved", say("Solved")]];
  var KIND_LABEL = { post: say("Post"), question: say("Question"), person: say("Person"), topic: say("Topic") };
  var STATE_LABEL = { solved: say("Solved"), answered: say("Answered"), unanswered: say("Unanswered") };
  var TAG = /(^|[^\p{L}\p{N}_&/#@])#(\p{L}[\p{L}\p{N}_-]*)/gu;
  var WORD = /[\p{L}\p{N}_]+(?:\.?[\p{L}\p{N}_]+)*/gu;

  var root = window.WolSite.root; // wol.js, loaded first

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /** The query's `#tags`, case-folded, without trailing `-` or `_` (as hashtags are read). */
  function tagsOf(query) {
    var tags = [];
    query.replace(TAG, function (_, before, tag) {
      tag = tag.replace(/[-_]+$/, "").normalize("NFC").toLowerCase();
      if (tag && tags.indexOf(tag) < 0) tags.push(tag);
      return _;
    });
    return tags;
  }

  /** Text → [[text, marked]], marking the words `test(word)` accepts. */
  function highlight(text, test) {
    var parts = [], last = 0;
    (text || "").replace(WORD, function (word, offset) {
      if (!test(word.toLowerCase())) return word;
      if (offset > last) parts.push([text.slice(last, offset), false]);
      parts.push([word, true]);
      last = offset + word.length;
      return word;
    });
    if (last < (text || "").length) parts.push([text.slice(last), false]);
    return parts;
  }

  /** HTML-escaped text with <mark>s (the live API's snippets) → [[text, marked]], reading text only. */
  function markedParts(html) {
    var body = new DOMParser().parseFromString("<body>" + (html || ""), "text/html").body;
    return Array.prototype.map.call(body.childNodes, function (node) {
      return [node.textContent, node.nodeName === "MARK"];
    });
  }

  function appendParts(node, parts) {
    parts.forEach(function (part) { node.appendChild(part[1] ? el("mark", "", part[0]) : document.createTextNode(part[0])); });
    return node;
  }

  // -- where the answers come from --------------------------------------------------------------

  /** The static index: hits as the box paints them. */
  function staticEngine(index) {
    return {
      live: false,
      search: function (query, filters) {
        var tags = filters.topics, aliases = filters.aliases || {};
        var keep = filters.kind || filters.state || tags.length ? function (record) {
          if (filters.kind && record.kind !== filters.kind) return false;
          if (filters.state && record.state !== filters.state) return false;
          return tags.every(function (tag) {
            var topic = aliases[tag] || tag;
            return (record.topics || []).indexOf(topic) >= 0 || record.id === "topics/" + topic;
          });
        } : null;
        return index.search(query, keep, LIMIT).then(function (found) {
          if (!found) return null;
          var test = function (word) {
            return found.forms.has(word) || found.stems.some(function (s) { return s.length >= 3 && word.indexOf(s) === 0; });
          };
          return found.hits.map(function (hit) {
            var r = hit.record;
            return {
              kind: r.kind, state: r.state || "", url: new URL(hit.url, root).href, topics: r.topics || [],
              title: highlight(r.title, test), accepted: r.state === "solved",
              by: r.answered_by || "", text: highlight(r.lead, test)
            };
          });
        });
      }
    };
  }

  /** The live server's /api/search (wol serve): the same ranking, from the index it updates on every save. */
  function liveEngine(api) {
    return {
      live: true,
      search: function (query, filters) {
        var url = new URL(api);
        url.searchParams.set("q", query);
        url.searchParams.set("limit", String(LIMIT));
        if (filters.kind) url.searchParams.set("kind", filters.kind);
        if (filters.state) url.searchParams.set("state", filters.state);
        filters.topics.forEach(function (tag) { url.searchParams.append("topic", tag); });
        return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (hits) {
            if (!Array.isArray(hits)) return null;
            var words = WolIndex.wordsOf(query, new Set());
            var test = function (word) {
              return words.some(function (w) { return word === w || (w.length >= 3 && word.indexOf(w) === 0); });
            };
            return hits.map(function (hit) {
              var solved = hit.state === "solved" && !!hit.answer;
              return {
                kind: hit.kind, state: hit.state || "", url: new URL(hit.url, window.location.href).href,
                topics: hit.topics || [], title: highlight(hit.title, test), accepted: solved,
                by: hit.answered_by || "", text: markedParts(solved ? hit.answer : hit.snippet)
              };
            });
          });
      }
    };
  }

  function answersJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok && (r.headers.get("Content-Type") || "").indexOf("json") >= 0; })
      .catch(function () { return false; });
  }

  var engine = null;
  /** The static index, unless its meta.json names a live API; with no index, the live API if it answers. */
  function findEngine() {
    if (!engine) {
      var index = WolIndex.open(new URL("search/", root).href);
      engine = index.meta().then(function (meta) {
        if (meta && meta.api) return liveEngine(new URL(meta.api, root).href);
        if (meta) return staticEngine(index);
        var api = new URL("api/search", root).href;
        return answersJson(api + "?q=").then(function (ok) { return ok ? liveEngine(api) : null; });
      }).then(function (found) {
        if (!found) engine = null;  // none yet: ask again at the next query
        return found && index.meta().then(function (meta) {
          found.aliases = meta && meta.aliases || {};
          return found;
        });
      });
    }
    return engine;
  }

  // -- the box --------------------------------------------------------------------------------

  var boxes = [];

  function Box(node) {
    var input = node.querySelector(".wol-search__input");
    var panel = node.querySelector(".wol-search__panel");
    var bar = node.querySelector(".wol-search__filters");
    var status = node.querySelector(".wol-search__status");
    var list = node.querySelector(".wol-search__results");
    var ask = node.querySelector(".wol-search__ask");
    var filters = { kind: "", state: "" };
    var asked = 0, timer = null, active = -1, last = null;
    // A combobox only with this script: without it the field is a plain search field.
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function options() { return list.querySelectorAll("[role=option]"); }

    function open(show) {
      panel.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      node.classList.toggle("wol-search--open", show);
      if (!show) move(-1);
    }

    function move(to) {
      var all = options();
      if (active >= 0 && all[active]) {
        all[active].classList.remove("wol-hit--active");
        all[active].setAttribute("aria-selected", "false");
      }
      active = all.length ? Math.max(-1, Math.min(to, all.length - 1)) : -1;
      if (active >= 0) {
        all[active].classList.add("wol-hit--active");
        all[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function busy(state) { list.setAttribute("aria-busy", state ? "true" : "false"); }

    function run() {
      clearTimeout(timer);
      var query = input.value.trim();
      var ticket = ++asked;
      if (!query) { busy(false); open(false); return; }
      busy(true);
      findEngine().then(function (source) {
        if (ticket !== asked) return null;
        if (!source) return paint(query, null, null);
        var wanted = { kind: filters.kind, state: filters.kind === "question" ? filters.state : "",
                       topics: tagsOf(query), aliases: source.aliases };
        return source.search(query, wanted).then(function (hits) {
          if (ticket === asked) paint(query, source, hits);
        });
      }).catch(function () { if (ticket === asked) paint(query, null, null); });
    }

    function later() {
      clearTimeout(timer);
      asked++;  // a search still under way is for older words: it must not paint
      busy(true);
      timer = setTimeout(run, 100);
    }

    var kindButtons = [], stateButtons = [];
    var kindRow = el("div", "wol-search__row"), stateRow = el("div", "wol-search__row"), tagRow = el("div", "wol-search__row");
    function toggle(row, buttons, label, value, pick) {
      var button = el("button", "wol-search__filter", label);
      button.type = "button";
      button.setAttribute("data-value", value);
      button.addEventListener("click", function () { pick(value); paintFilters(input.value); run(); });
      buttons.push(button);
      row.appendChild(button);
    }
    KINDS.forEach(function (k) {
      toggle(kindRow, kindButtons, k[1], k[0], function (v) { filters.kind = v; if (v !== "question") filters.state = ""; });
    });
    STATES.forEach(function (s) { toggle(stateRow, stateButtons, s[1], s[0], function (v) { filters.state = v; }); });
    kindRow.setAttribute("aria-label", say("Kind"));
    stateRow.setAttribute("aria-label", say("State"));
    [kindRow, stateRow, tagRow].forEach(function (row) { row.setAttribute("role", "group"); bar.appendChild(row); });
    tagRow.setAttribute("aria-label", say("Topics"));

    /** The filter buttons as the filters are; the query's #tags as removable chips. */
    function paintFilters(query) {
      kindButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-value") === filters.kind)); });
      stateButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-value") === filters.state)); });
      stateRow.hidden = filters.kind !== "question";
      var tags = tagsOf(query);
      tagRow.textContent = "";
      tagRow.hidden = !tags.length;
      if (!tags.length) return;
      tagRow.appendChild(el("span", "wol-search__only", say("Only")));
      tags.forEach(function (tag) {
        var chip = el("button", "wol-search__filter wol-search__tag", "#" + tag + " ×");
        chip.type = "button";
        chip.setAttribute("aria-label", say("Remove the topic filter #%(tag)s", { tag: tag }));
        chip.addEventListener("click", function () { input.focus(); removeTag(tag); });
        tagRow.appendChild(chip);
      });
    }

    function addTag(tag) {
      if (tagsOf(input.value).indexOf(tag) < 0) input.value = (input.value.trim() + " #" + tag).trim();
      input.focus();
      paintFilters(input.value);
      run();
    }

    function removeTag(tag) {
      input.value = input.value.replace(TAG, function (whole, before, found) {
        return found.replace(/[-_]+$/, "").toLowerCase() === tag ? before : whole;
      }).replace(/\s+/g, " ").trim();
      paintFilters(input.value);
      run();
    }

    function hitNode(hit, n) {
      var a = el("a", "wol-hit");
      a.id = node.id + "-hit-" + n;
      a.href = hit.url;
      a.tabIndex = -1;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      var head = el("span", "wol-hit__head");
      head.appendChild(el("span", "wol-hit__kind", KIND_LABEL[hit.kind] || hit.kind));
      if (hit.kind === "question" && STATE_LABEL[hit.state]) {
        head.appendChild(el("span", "wol-state wol-state--" + hit.state, STATE_LABEL[hit.state]));
      }
      a.appendChild(head);
      a.appendChild(appendParts(el("span", "wol-hit__title"), hit.title));
      var text = el("span", "wol-hit__text");
      if (hit.accepted) text.appendChild(el("strong", "wol-hit__accepted", hit.by ? say("Accepted answer (%(name)s): ", { name: hit.by }) : say("Accepted answer: ")));
      appendParts(text, hit.text);
      if (text.textContent) a.appendChild(text);
      if (hit.topics.length) {
        var chips = el("span", "wol-hit__topics");
        hit.topics.slice(0, 6).forEach(function (tag) {
          var chip = el("span", "wol-hit__topic", "#" + tag);
          chip.setAttribute("data-tag", tag);
          chip.title = say("Only #%(tag)s", { tag: tag });
          chips.appendChild(chip);
        });
        a.appendChild(chips);
      }
      var li = el("li");
      li.setAttribute("role", "presentation");
      li.appendChild(a);
      return li;
    }

    function askTitle(query) {
      return query.replace(TAG, "$1").replace(/\s+/g, " ").trim();
    }

    function paintAsk(query, source, found) {
      ask.textContent = "";
      var title = askTitle(query);
      var tags = tagsOf(query);
      var params = { title: title, tags: tags.join(", ") };
      // One road to the editor (wol.js): this server under `wol serve`, else `wol.editor_url`, else Git.
      var href = window.WolSite && window.WolSite.editorUrl ? window.WolSite.editorUrl("edit/question", params) : null;
      if (!href && source && source.live) {
        var url = new URL("edit/question", root);
        Object.keys(params).forEach(function (key) { if (params[key]) url.searchParams.set(key, params[key]); });
        href = url.href;
      }
      if (source && href) {
        var a = el("a", "wol-hit wol-hit--ask");
        a.id = node.id + "-ask";
        a.href = href;
        a.tabIndex = -1;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.appendChild(el("span", "wol-hit__kind", found ? say("Not what you need?") : say("No answer yet?")));
        a.appendChild(el("span", "wol-hit__title", title ? say("Ask “%(title)s”", { title: title }) : say("Ask a question")));
        var li = el("li");
        li.setAttribute("role", "presentation");
        li.appendChild(a);
        list.appendChild(li);
        return;
      }
      if (!source) return;
      var note = el("p", "wol-search__hint");
      note.appendChild(document.createTextNode(found ? say("Not what you need? Ask it: ") : say("No answer yet? Ask it: ")));
      note.appendChild(el("code", "", "wol new question"));
      var guide = node.getAttribute("data-guide");
      if (guide) {
        note.appendChild(document.createTextNode(" · "));
        var link = el("a", "", say("how to contribute"));
        link.href = new URL(guide, root).href;
        note.appendChild(link);
      }
      ask.appendChild(note);
    }

    function paint(query, source, hits) {
      last = query;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      paintFilters(query);
      bar.hidden = !source;
      if (!source || !hits) {
        status.textContent = source ? say("Search failed; try again.") : say("Search is not available on this site.");
      } else {
        hits.forEach(function (hit, n) { list.appendChild(hitNode(hit, n)); });
        var filtered = filters.kind || tagsOf(query).length;
        status.textContent = hits.length === 0
          ? say(filtered ? "No results for “%(query)s” with these filters." : "No results for “%(query)s”.", { query: query })
          : sayN("%(n)s result", hits.length, null, "%(n)s results");
      }
      paintAsk(query, source, hits && hits.length > 0);
      list.hidden = options().length === 0;
      busy(false);
      open(document.activeElement && node.contains(document.activeElement));
    }

    input.addEventListener("input", function () {
      if (!input.value.trim()) { asked++; busy(false); open(false); return; }
      later();
    });
    input.addEventListener("focus", function () {
      if (input.value.trim() && last === input.value.trim()) open(true);
      else if (input.value.trim()) run();
    });
    input.addEventListener("keydown", function (event) {
      var count = options().length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (panel.hidden) { if (input.value.trim()) { open(true); } return; }
        if (!count) return;
        var step = event.key === "ArrowDown" ? 1 : -1;
        move(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
      } else if (event.key === "Enter") {
        event.preventDefault();
        clearTimeout(timer);
        if (last !== input.value.trim()) {
          run();
        } else if (!panel.hidden && count) {
          window.location.href = options()[active >= 0 ? active : 0].href;
        }
      } else if (event.key === "Escape") {
        if (!panel.hidden) { event.preventDefault(); open(false); } else if (input.value) { input.value = ""; }
      }
    });
    list.addEventListener("click", function (event) {
      var chip = event.target.closest && event.target.closest("[data-tag]");
      if (!chip) return;
      event.preventDefault();
      addTag(chip.getAttribute("data-tag"));
    });
    list.addEventListener("mousemove", function (event) {
      var option = event.target.closest && event.target.closest("[role=option]");
      if (!option) return;
      var all = Array.prototype.indexOf.call(options(), option);
      if (all !== active) move(all);
    });
    panel.addEventListener("keydown", function (event) {  // Esc on a filter button: back to the box
      if (event.key === "Escape") { event.preventDefault(); input.focus(); open(false); }
    });
    node.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !node.contains(event.relatedTarget)) open(false);
    });
    document.addEventListener("pointerdown", function (event) {
      if (!node.contains(event.target)) open(false);
    });

    return { node: node, input: input };
  }

  var nodes = document.querySelectorAll("[data-wol-search]");
  for (var i = 0; i < nodes.length; i++) {
    if (!nodes[i].id) nodes[i].id = "wol-search-box-" + i;
    boxes.push(Box(nodes[i]));
  }

  // `/` focuses the page's main box (the home page's large one, else the header's), unless typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || !boxes.length) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    var main = boxes.filter(function (b) { return b.node.classList.contains("wol-search--hero"); })[0] || boxes[0];
    main.input.focus();
    main.input.select();
  });
})();
