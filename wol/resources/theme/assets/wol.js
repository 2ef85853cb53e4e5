/* wol's theme script: the "useful" control on every .wol-useful, and the "Write" link.
 *
 * It asks <site root>/api/session. The live server (`wol serve`) answers 200 JSON
 * {handle, name, votes: [ids], csrf}: the button then toggles the reader's vote with
 * POST/DELETE <site root>/api/votes {target} and the header shows "Write".
 * A static host answers 404: the button shows how to vote with Git (`wol vote <id>`).
 * On the live server, a control whose data-author is the reader shows a disabled
 * "Your own", and an unanswered question's `wol new answer` hint becomes an
 * "Answer this question" button (the editor's form, edit/answer/<slug>).
 * On a static host, the replies under a post, question or answer say how to reply
 * with Git (`wol new reply <id>`).
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
  window.WolSite = { root: root }; // the search box (wol-search.js) reads it too

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
    return count === 1 ? "1 found this useful" : count + " found this useful";
  }

  function render(box, session) {
    var id = box.getAttribute("data-id");
    var count = parseInt(box.getAttribute("data-count") || "0", 10) || 0;
    var voted = !!(session && session.votes && session.votes.indexOf(id) >= 0);
    var own = !!(session && session.handle && id && ownedBy(box, session.handle));

    box.textContent = "";
    var button = el("button", "wol-useful__button");
    button.type = "button";
    button.innerHTML = THUMB;
    button.appendChild(el("span", "wol-useful__label", "Useful"));
    var counter = el("span", "wol-useful__count", countText(count));
    counter.setAttribute("aria-live", "polite");
    box.appendChild(button);
    box.appendChild(counter);

    function show(state) {
      voted = state;
      button.setAttribute("aria-pressed", voted ? "true" : "false");
      box.classList.toggle("wol-useful--voted", voted);
    }
    show(voted);

    if (session && own) {  // the server refuses a vote for one's own writing: say so instead of failing
      button.disabled = true;
      button.classList.add("wol-useful__button--own");
      button.querySelector(".wol-useful__label").textContent = "Your own";
      button.title = box.title = "Votes are for what helped you; others vote for your writing";
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
          counter.textContent = "Could not record your vote; try again.";
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

  function ownedBy(box, handle) {
    var author = box.getAttribute("data-author");
    return author ? author === handle : false;
  }

  function staticNote(id) {
    var command = "wol vote " + id;
    var note = el("div", "wol-useful__note");
    note.setAttribute("role", "note");
    note.appendChild(el("p", "", "To vote, run this in your clone of the knowledge repository:"));
    var line = el("div", "wol-useful__command");
    line.appendChild(el("code", "", command));
    var copy = el("button", "wol-useful__copy", "Copy");
    copy.type = "button";
    copy.addEventListener("click", function () {
      var done = function () { copy.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(command).then(done, function () { select(line); });
      } else {
        select(line);
      }
    });
    line.appendChild(copy);
    note.appendChild(line);
    note.appendChild(el("p", "wol-useful__hint", "Your vote is a one-line commit to votes/<you>.txt; push it and the site counts it at the next build."));
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
    if (!header || header.querySelector(".wol-write")) return;
    var link = el("a", "wol-write md-header__button");
    link.href = new URL("edit/", root).href;
    link.title = "Write a post, ask a question" + (session.name ? " (as " + session.name + ")" : "");
    link.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M20.71 7.04c.39-.39.39-1.04 0-1.41l-2.34-2.34c-.37-.39-1.02-.39-1.41 0l-1.84 1.83 3.75 3.75M3 17.25V21h3.75L17.81 9.93l-3.75-3.75z"/></svg>';
    link.appendChild(el("span", "wol-write__label", "Write"));
    var search = header.querySelector(".wol-search, label[for=__search]");
    header.insertBefore(link, search || null);
  }

  // A question with no answers says how to answer with Git; the live server has a form for it.
  function addAnswerButton() {
    var hint = document.querySelector(".wol-answer-hint");
    var question = document.querySelector(".wol-doc .wol-useful[data-id^='questions/']");
    if (!hint || !question) return;
    var link = el("a", "md-button md-button--primary wol-answer-link", "Answer this question");
    link.href = new URL("edit/answer/" + question.getAttribute("data-id").slice("questions/".length), root).href;
    var line = el("p", "wol-answer-action");
    line.appendChild(link);
    hint.parentNode.replaceChild(line, hint);
  }

  // On a static host, each thread's replies say how to reply with Git (the live server's live.js links its form).
  function addReplyHints() {
    var sections = document.querySelectorAll(".wol-replies");
    var page = document.querySelector(".wol-doc .wol-useful[data-id]");
    for (var i = 0; i < sections.length; i++) {
      var article = sections[i].closest("article.wol-answer");
      var control = article ? article.querySelector(":scope > .wol-useful[data-id]") : page;
      if (!control) continue;
      var hint = el("details", "wol-reply-git");
      hint.appendChild(el("summary", "", "Reply"));
      hint.appendChild(el("p", "", "To reply, run this in your clone of the knowledge repository:"));
      var line = el("div", "wol-useful__command");
      line.appendChild(el("code", "", "wol new reply " + control.getAttribute("data-id")));
      hint.appendChild(line);
      sections[i].appendChild(hint);
    }
  }

  var boxes = document.querySelectorAll(".wol-useful[data-id]");
  loadSession().then(function (session) {
    if (session) addWriteLink(session);
    if (session) addAnswerButton();
    if (!session) addReplyHints();
    for (var i = 0; i < boxes.length; i++) render(boxes[i], session);
    document.documentElement.classList.add(session ? "wol-live" : "wol-static");
  });
})();
