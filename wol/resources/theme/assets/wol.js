/* wol's theme script: the "useful" control on every .wol-useful, the "Write" link, and the roads to the editor.
 *
 * It asks <site root>/api/session. The live server (`wol serve`) answers 200 JSON
 * {handle, name, votes: [ids], csrf}: the button then toggles the reader's vote with
 * POST/DELETE <site root>/api/votes {target} and the header shows "Write".
 * A static host answers 404. With `wol.editor_url` set (<meta name="wol-editor">), a
 * static page leads to that editor, by navigation only (no cross-origin request):
 * "Useful" to edit/vote?target=<id>&next=<this page>, "Answer" to edit/answer/<slug>,
 * "Reply" to edit/reply/<id>, "Edit" to edit/<id> (the editor refuses others' documents),
 * "Ask" to edit/question?tags=… or ?ask=<handle>. Without an editor, the button shows how
 * to vote with Git (`wol vote <id>`), and replies say how to reply (`wol new reply <id>`).
 * On the live server, a control whose data-author is the reader shows a disabled
 * "Your own", and an unanswered question's `wol new answer` hint becomes an
 * "Answer this question" button (the editor's form, edit/answer/<slug>).
 * `WolSite.editorUrl(path, params)` is the one road to the editor (the search box's "Ask" takes it too):
 * the same server under `wol serve`, else the configured editor, else null (say how to do it with Git).
 */
(function () {
  "use strict";

  function siteRoot() {
    var base = ".";
    var config = document.getElementById("__config");
    if (config) {
      try { base = JSON.parse(config.textContent).base || "."; } catch (e) { /* keep "." */ }
    }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  var root = siteRoot();
  var live = false;  // set once /api/session answered: this page is served by `wol serve`
  var editorBase = (function () {
    var meta = document.querySelector('meta[name="wol-editor"]');
    try { return meta && /^https?:/.test(meta.content) ? new URL(meta.content) : null; } catch (e) { return null; }
  })();

  /** The editor's page `path` (`edit/question`) with `params` filled in, or null when there is no editor. */
  function editorUrl(path, params) {
    var base = live ? root : editorBase;
    if (!base) return null;
    var url = new URL(path, base);
    Object.keys(params || {}).forEach(function (key) {
      if (params[key]) url.searchParams.set(key, params[key]);
    });
    return url.href;
  }

  window.WolSite = { root: root, editorUrl: editorUrl }; // the search box (wol-search.js) reads it too

  // The words scripts show, in the site's language (wol/stage/scripts.py): English when a page has none.
  var WORDS = (function () {
    var node = document.getElementById("wol-words");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  })();
  var PLURAL = (function () {
    try { return new Intl.PluralRules(document.documentElement.lang || "en"); } catch (e) { return null; }
  })();
  function fill(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (all, name) {
      return values && values[name] !== undefined ? values[name] : all;
    });
  }
  /** `message` (its English text) in the site's language, its %(name)s blanks filled from `values`. */
  function say(message, values) {
    var text = typeof WORDS[message] === "string" ? WORDS[message] : message;
    return fill(text, values);
  }
  /** A plural message keyed by its English singular, for `n` (also its %(n)s), the language's own rule. */
  function sayN(singular, n, values, plural) {
    var forms = WORDS[singular], category = PLURAL ? PLURAL.select(n) : (n === 1 ? "one" : "other");
    var text = forms && typeof forms === "object" ? (forms[category] || forms.other || singular)
      : (n === 1 ? singular : (plural || singular));
    var all = { n: PLURAL ? n.toLocaleString(document.documentElement.lang || "en") : String(n) };
    Object.keys(values || {}).forEach(function (key) { all[key] = values[key]; });
    return fill(text, all);
  }
  window.WolWords = { say: say, sayN: sayN };

  function loadSession() {
    if (!/^https?:$/.test(window.location.protocol)) return Promise.resolve(null);
    return fetch(new URL("api/session", root), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.ok && type.indexOf("json") >= 0 ? response.json() : null;
    }).catch(function () { return null; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var THUMB = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M23 10a2 2 0 0 0-2-2h-6.32l.96-4.57c.02-.1.03-.21.03-.32 0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.58C7.22 7.95 7 8.45 7 9v10a2 2 0 0 0 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2M1 21h4V9H1z"/></svg>';

  function countText(count) {
    return sayN("%(n)s found this useful", count);
  }

  function render(box, session) {
    var id = box.getAttribute("data-id");
    var count = parseInt(box.getAttribute("data-count") || "0", 10) || 0;
    var voted = !!(session && session.votes && session.votes.indexOf(id) >= 0);
    var own = !!(session && session.handle && id && ownedBy(box, session.handle));

    box.textContent = "";
    var vote = !session && editorUrl("edit/vote", { target: id, next: pageUrl(box) });
    var button = el(vote ? "a" : "button", "wol-useful__button");
    if (vote) button.href = vote; else button.type = "button";
    button.innerHTML = THUMB;
    button.appendChild(el("span", "wol-useful__label", say("Useful")));
    var counter = el("span", "wol-useful__count", countText(count));
    counter.setAttribute("aria-live", "polite");
    box.appendChild(button);
    box.appendChild(counter);

    function show(state) {
      voted = state;
      button.setAttribute("aria-pressed", voted ? "true" : "false");
      box.classList.toggle("wol-useful--voted", voted);
    }
    if (vote) {  // a static page: the editor asks the reader to confirm, records the vote, and comes back
      button.title = say("Vote in the editor (you may be asked to sign in)");
      return;
    }
    show(voted);

    if (session && own) {  // the server refuses a vote for one's own writing: say so instead of failing
      button.disabled = true;
      button.classList.add("wol-useful__button--own");
      button.querySelector(".wol-useful__label").textContent = say("Your own");
      button.title = box.title = say("Votes are for what helped you; others vote for your writing");
    } else if (session) {
      button.addEventListener("click", function () {
        button.disabled = true;
        fetch(new URL("api/votes", root), {
          method: voted ? "DELETE" : "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf || "" },
          body: JSON.stringify({ target: id })
        }).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        }).then(function (answer) {
          count = answer.useful;
          box.setAttribute("data-count", String(count));
          counter.textContent = countText(count);
          show(!!answer.voted);
        }).catch(function () {
          counter.textContent = say("Could not record your vote; try again.");
        }).then(function () { button.disabled = false; });
      });
    } else {
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        var note = box.querySelector(".wol-useful__note");
        if (note) {
          note.remove();
          button.setAttribute("aria-expanded", "false");
          return;
        }
        box.appendChild(staticNote(id));
        button.setAttribute("aria-expanded", "true");
      });
    }
  }

  /** This page's address, at the answer or reply the control belongs to: where the editor sends the reader back. */
  function pageUrl(box) {
    var url = new URL(window.location.href);
    var holder = box.closest("article.wol-answer[id], .wol-reply[id]");
    url.hash = holder ? holder.id : "";
    return url.href;
  }

  function ownedBy(box, handle) {
    var author = box.getAttribute("data-author");
    return author ? author === handle : false;
  }

  function staticNote(id) {
    var command = "wol vote " + id;
    var note = el("div", "wol-useful__note");
    note.setAttribute("role", "note");
    note.appendChild(el("p", "", say("To vote, run this in your clone of the knowledge repository:")));
    var line = el("div", "wol-useful__command");
    line.appendChild(el("code", "", command));
    var copy = el("button", "wol-useful__copy", say("Copy"));
    copy.type = "button";
    copy.addEventListener("click", function () {
      var done = function () { copy.textContent = say("Copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(command).then(done, function () { select(line); });
      } else {
        select(line);
      }
    });
    line.appendChild(copy);
    note.appendChild(line);
    note.appendChild(el("p", "wol-useful__hint", say("Your vote is a one-line commit to votes/<you>.txt; push it and the site counts it at the next build.")));
    return note;
  }

  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node.querySelector("code"));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function addWriteLink(session) {
    var header = document.querySelector(".md-header__inner");
    var href = editorUrl("edit/");
    if (!header || !href || header.querySelector(".wol-write")) return;
    var link = el("a", "wol-write md-header__button");
    link.href = href;
    link.title = session && session.name ? say("Write a post, ask a question (as %(name)s)", { name: session.name })
      : say("Write a post, ask a question");
    link.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M20.71 7.04c.39-.39.39-1.04 0-1.41l-2.34-2.34c-.37-.39-1.02-.39-1.41 0l-1.84 1.83 3.75 3.75M3 17.25V21h3.75L17.81 9.93l-3.75-3.75z"/></svg>';
    link.appendChild(el("span", "wol-write__label", say("Write")));
    var search = header.querySelector(".wol-search, label[for=__search]");
    header.insertBefore(link, search || null);
  }

  // A question with no answers says how to answer with Git; the editor has a form for it.
  function addAnswerButton() {
    var hint = document.querySelector(".wol-answer-hint");
    var question = document.querySelector(".wol-doc .wol-useful[data-id^='questions/']");
    if (!hint || !question) return;
    var link = el("a", "md-button md-button--primary wol-answer-link", say("Answer this question"));
    link.href = editorUrl("edit/answer/" + question.getAttribute("data-id").slice("questions/".length));
    var line = el("p", "wol-answer-action");
    line.appendChild(link);
    hint.parentNode.replaceChild(line, hint);
  }

  function editLink(href, text, className) {
    var a = el("a", "md-button " + className, text);
    a.href = href;
    return a;
  }

  // A static page with an editor: what live.js adds under `wol serve` (which knows who reads), as links to
  // the editor, which knows: "Edit" (refused unless it is the reader's own), "Answer", "Reply".
  function addEditorLinks() {
    var own = document.querySelector(".wol-doc .wol-useful[data-id]");
    if (own) {
      var id = own.getAttribute("data-id");
      var bar = el("p", "wol-edit-bar");
      var edit = editLink(editorUrl("edit/" + id), say("Edit"), "wol-edit-link");
      edit.title = say("Its author can edit it in the editor");
      bar.appendChild(edit);
      if (id.indexOf("questions/") === 0 && !document.querySelector(".wol-answer-hint, .wol-answer-action")) {
        bar.appendChild(editLink(editorUrl("edit/answer/" + id.slice("questions/".length)), say("Answer this question"),
                                 "md-button--primary wol-answer-link"));
      }
      var header = document.querySelector(".wol-doc");
      header.parentNode.insertBefore(bar, header.nextSibling);
    }
    var answers = document.querySelectorAll("article.wol-answer");
    for (var i = 0; i < answers.length; i++) {
      var control = answers[i].querySelector(":scope > .wol-useful[data-id]");
      if (!control) continue;
      var actions = el("p", "wol-answer-actions");
      var link = editLink(editorUrl("edit/" + control.getAttribute("data-id")), say("Edit"), "wol-edit-link");
      link.title = say("Its author can edit it in the editor");
      actions.appendChild(link);
      answers[i].insertBefore(actions, answers[i].querySelector(":scope > .wol-replies"));
    }
  }

  // Each thread's replies: a "Reply" link to the editor, or how to reply with Git (under `wol serve`, live.js).
  function addReplyHints() {
    var sections = document.querySelectorAll(".wol-replies");
    var page = document.querySelector(".wol-doc .wol-useful[data-id]");
    for (var i = 0; i < sections.length; i++) {
      var article = sections[i].closest("article.wol-answer");
      var control = article ? article.querySelector(":scope > .wol-useful[data-id]") : page;
      if (!control) continue;
      var reply = editorUrl("edit/reply/" + control.getAttribute("data-id"));
      if (reply) {
        var action = el("p", "wol-reply-action");
        action.appendChild(editLink(reply, say("Reply"), "wol-edit-link"));
        sections[i].appendChild(action);
        continue;
      }
      var hint = el("details", "wol-reply-git");
      hint.appendChild(el("summary", "", say("Reply")));
      hint.appendChild(el("p", "", say("To reply, run this in your clone of the knowledge repository:")));
      var line = el("div", "wol-useful__command");
      line.appendChild(el("code", "", "wol new reply " + control.getAttribute("data-id")));
      hint.appendChild(line);
      sections[i].appendChild(hint);
    }
  }

  // "Ask a question" (partials/wol-ask.html): under `wol serve`, this server's own editor.
  function pointAskButtons() {
    var asks = document.querySelectorAll("[data-wol-ask]");
    for (var i = 0; i < asks.length; i++) {
      var label = asks[i].querySelector(".wol-ask__button");
      var params = {};
      new URLSearchParams(asks[i].getAttribute("data-query") || "").forEach(function (value, key) { params[key] = value; });
      var link = el("a", "md-button md-button--primary wol-ask__button");
      link.innerHTML = label ? label.innerHTML : say("Ask a question");
      link.href = editorUrl("edit/question", params);
      asks[i].textContent = "";
      asks[i].appendChild(link);
    }
  }

  var boxes = document.querySelectorAll(".wol-useful[data-id]");
  loadSession().then(function (session) {
    live = !!session;
    if (session || editorBase) addWriteLink(session);
    if (session) pointAskButtons();
    if (session || editorBase) addAnswerButton();
    if (!session && editorBase) addEditorLinks();
    if (!session) addReplyHints();
    for (var i = 0; i < boxes.length; i++) render(boxes[i], session);
    document.documentElement.classList.add(session ? "wol-live" : "wol-static");
  });
})();
