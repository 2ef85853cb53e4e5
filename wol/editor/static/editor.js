/* The editor's forms: send JSON to the API, live preview, similar questions, errors kept next to the text,
 * files pasted, dropped or picked (sent with the document, shown in the preview at once), the Markdown
 * component (vendor/wol-markdown.min.js: toolbar, @/# completion), autosave to this browser, drafts,
 * warnings shown with the saved result, delete, and the vote page's button. */
(function () {
  "use strict";

  // The words this script writes, in the site's language (pages.py's script_words, as JSON in the page).
  var WORDS = {};
  try { WORDS = JSON.parse((document.getElementById("wol-words") || {}).textContent || "{}"); } catch (e) { /* English below */ }
  function word(key, english, values) {
    var text = typeof WORDS[key] === "string" ? WORDS[key] : english;
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return values && values[name] !== undefined ? String(values[name]) : all;
    });
  }

  function debounce(fn, ms) {
    var timer;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  function send(url, method, csrf, data) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf || "" },
      body: JSON.stringify(data)
    }).then(function (response) {
      return response.json().catch(function () { return { error: word("server_answered", "the server answered %(status)s", { status: response.status }) }; })
        .then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
    }, function () {
      return { ok: false, status: 0, body: { error: word("unreachable", "the server cannot be reached; your text is still here") } };
    });
  }

  function showProblem(box, body) {
    box.textContent = "";
    var head = document.createElement("p");
    head.textContent = word("not_saved", "Not saved: %(reason)s.",
                            { reason: body.error || word("went_wrong", "something went wrong") });
    box.appendChild(head);
    if (body.problems && body.problems.length) {
      var list = document.createElement("ul");
      body.problems.forEach(function (p) {
        var item = document.createElement("li");
        item.textContent = p.line ? word("line", "line %(line)s: %(message)s", { line: p.line, message: p.message })
                                  : p.message;
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  var form = document.getElementById("doc-form");
  if (form) {
    var body = form.elements.body;
    var preview = document.getElementById("preview");
    var problem = document.getElementById("problem");
    var button = form.querySelector("button[type=submit]");

    // Files pasted, dropped or picked wait here (name → {name, data, url}) until the document is saved:
    // they are committed with it, and the preview shows them from the browser's own copy.
    var pending = {};
    var markdown = null;  // the Markdown component, once attached (below)
    var insertText = function (text) {
      if (markdown) { markdown.insert(text); return; }
      var at = body.selectionStart, value = body.value;
      body.value = value.slice(0, at) + text + value.slice(body.selectionEnd);
      body.selectionStart = body.selectionEnd = at + text.length;
    };
    var asked = 0, shown = 0;  // previews may come back out of order: only a newer one replaces the shown one
    var renderPreview = function () {
      if (!preview || !body) return;
      var ask = { markdown: body.value }, mine = ++asked;
      if (form.getAttribute("data-document")) ask.document = form.getAttribute("data-document");
      send(form.getAttribute("data-preview"), "POST", form.getAttribute("data-csrf"), ask)
        .then(function (r) {
          if (!r.ok || mine < shown) return;
          shown = mine;
          preview.innerHTML = r.body.html;  // sanitised by the server
          Array.prototype.forEach.call(preview.querySelectorAll("img, a"), function (node) {
            var attr = node.tagName === "IMG" ? "src" : "href";
            var file = pending[decodeURIComponent(node.getAttribute(attr) || "")];
            if (file) node.setAttribute(attr, file.url);
          });
        });
    };

    var ALLOWED = /\.(png|jpe?g|gif|webp|pdf|csv|log|xlsx|docx|pptx|zip)$/i;
    var attach = function (files) {
      Array.prototype.forEach.call(files, function (file) {
        var type = file.type || "";
        var name = (file.name || "pasted").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+/, "") || "file";
        if (!/\.[A-Za-z0-9]+$/.test(name) && type.indexOf("image/") === 0) name += "." + type.slice(6).replace("jpeg", "jpg");
        if (!ALLOWED.test(name)) {
          showProblem(problem, { error: word("cannot_attach",
            "%(name)s cannot be attached (images, PDF, CSV, logs, Office files, zip)", { name: name }) });
          return;
        }
        var stem = name.replace(/\.[^.]+$/, ""), ext = name.slice(stem.length), n = 1;
        while (pending[name]) name = stem + "-" + (++n) + ext;
        var reader = new FileReader();
        reader.onload = function () {
          pending[name] = { name: name, data: String(reader.result).split(",")[1] || "", url: URL.createObjectURL(file) };
          var link = (/^image\//.test(type) ? "!" : "") + "[" + stem + "](" + name + ")";
          insertText(link);
          renderPreview();
        };
        reader.readAsDataURL(file);
      });
    };
    if (body) {
      body.addEventListener("paste", function (event) {
        var files = event.clipboardData && event.clipboardData.files;
        if (files && files.length) { event.preventDefault(); attach(files); }
      });
      body.addEventListener("dragover", function (event) { event.preventDefault(); });
      body.addEventListener("drop", function (event) {
        var files = event.dataTransfer && event.dataTransfer.files;
        if (files && files.length) { event.preventDefault(); attach(files); }
      });
    }
    if (body && window.WolMarkdown) {
      var vocabularyUrl = form.getAttribute("data-vocabulary");
      markdown = window.WolMarkdown.attach(body, {
        onFiles: attach,
        words: WORDS.toolbar,
        vocabulary: function () {
          return fetch(vocabularyUrl, { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : { people: [], topics: [] }; });
        }
      });
    }
    var picker = document.getElementById("attach");
    if (picker) picker.addEventListener("change", function () { attach(picker.files); picker.value = ""; });
    if (body) {
      body.addEventListener("input", debounce(renderPreview, 250));
      renderPreview();
    }

    var similar = document.getElementById("similar");
    var similarUrl = form.getAttribute("data-similar");
    if (similar && similarUrl && form.elements.title) {
      var title = form.elements.title;
      var asked = "";
      var lookUp = function () {
        var text = title.value.trim();
        if (text === asked) return;
        asked = text;
        if (text.length < 3) { similar.hidden = true; return; }
        fetch(similarUrl + "?limit=5&title=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (hits) {
            if (text !== asked) return;
            var list = similar.querySelector("ul");
            list.textContent = "";
            hits.forEach(function (hit) {
              var item = document.createElement("li");
              var a = document.createElement("a");
              a.href = hit.url;
              a.target = "_blank";
              a.textContent = hit.title;
              var kind = document.createElement("span");
              kind.className = "kind";
              kind.textContent = (WORDS.kinds || {})[hit.kind] || hit.kind;
              item.appendChild(kind);
              item.appendChild(a);
              list.appendChild(item);
            });
            similar.hidden = hits.length === 0;
          }).catch(function () {});
      };
      title.addEventListener("input", debounce(lookUp, 250));
      if (title.value.trim()) lookUp();  // asked from the search box: the title is there, so are its like
    }

    // Autosave: what is typed is kept in this browser (per form and document) until it is saved, so a
    // crash or a closed tab loses nothing; leaving with unsaved text asks first.
    var KEPT = ["title", "tags", "body", "name", "team", "location", "expertise", "email"];
    var storageKey = "wol-editor:" + window.location.pathname + window.location.search;
    var values = function () {
      var found = {};
      KEPT.forEach(function (name) {
        var field = form.elements[name];
        if (field && field.value !== undefined) found[name] = field.value;
      });
      return found;
    };
    var setValues = function (wanted) {
      Object.keys(wanted).forEach(function (name) {
        var field = form.elements[name];
        if (!field || field.value === undefined) return;
        if (name === "body" && markdown) markdown.setValue(wanted[name]);
        else field.value = wanted[name];
      });
      renderPreview();
    };
    var initial = values();
    var same = function (a, b) { return JSON.stringify(a) === JSON.stringify(b); };
    var saving = false;
    var store = function () {
      try {
        var now = values();
        if (same(now, initial)) window.localStorage.removeItem(storageKey);
        else window.localStorage.setItem(storageKey, JSON.stringify({ values: now, at: new Date().toISOString() }));
      } catch (e) { /* storage full or forbidden: the text is still in the form */ }
    };
    var forget = function () { try { window.localStorage.removeItem(storageKey); } catch (e) { /* none */ } };
    var restoredBox = document.getElementById("restored");
    try {
      var kept = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      if (kept && kept.values && !same(kept.values, initial)) {
        setValues(kept.values);
        if (restoredBox) restoredBox.hidden = false;
      }
    } catch (e) { /* nothing kept */ }
    var discard = document.getElementById("discard");
    if (discard) {
      discard.addEventListener("click", function () {
        setValues(initial);
        forget();
        restoredBox.hidden = true;
      });
    }
    form.addEventListener("input", debounce(store, 200));
    window.addEventListener("beforeunload", function (event) {
      if (saving || same(values(), initial)) return;
      event.preventDefault();
      event.returnValue = "";  // the browser asks whether to leave with unsaved text
    });

    var savedBox = document.getElementById("saved");
    var showSaved = function (result) {
      var list = savedBox.querySelector("ul");
      list.textContent = "";
      result.warnings.forEach(function (w) {
        var item = document.createElement("li");
        item.textContent = w.line ? word("line", "line %(line)s: %(message)s", { line: w.line, message: w.message })
                                  : w.message;
        list.appendChild(item);
      });
      savedBox.querySelector(".saved__see").href = result.url;
      savedBox.querySelector(".saved__edit").href = result.edit_url || result.url;
      savedBox.hidden = false;
      savedBox.scrollIntoView({ block: "nearest" });
    };

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.type !== "submit" && field.type !== "file") data[field.name] = field.value;
      });
      var files = Object.keys(pending).filter(function (name) { return body.value.indexOf("](" + name) >= 0; })
        .map(function (name) { return { name: name, data: pending[name].data }; });
      if (files.length) data.files = files;
      var pressed = event.submitter && event.submitter.type === "submit" ? event.submitter : button;
      if (pressed.hasAttribute("data-draft")) data.draft = pressed.getAttribute("data-draft") === "true";
      problem.hidden = true;
      if (savedBox) savedBox.hidden = true;
      pressed.disabled = true;
      var label = pressed.textContent;
      pressed.textContent = word("saving", "Saving…");
      send(form.getAttribute("data-action"), form.getAttribute("data-method"), form.getAttribute("data-csrf"), data)
        .then(function (r) {
          if (r.ok) {
            forget();
            initial = values();
            var warnings = (r.body.warnings || []);
            if (warnings.length && savedBox) {  // saved: say what to look at again before going on
              pressed.disabled = false;
              pressed.textContent = label;
              showSaved(r.body);
              return;
            }
            saving = true;
            window.location.href = form.getAttribute("data-next") || r.body.url;
            return;
          }
          showProblem(problem, r.body);  // the text stays in the form
          pressed.disabled = false;
          pressed.textContent = label;
        });
    });
  }

  var withdraw = document.getElementById("withdraw");  // one's own reply: a commit that deletes it
  if (withdraw) {
    withdraw.addEventListener("click", function () {
      if (!window.confirm(word("confirm_withdraw", "Withdraw this reply? It leaves the site; Git's history keeps it."))) return;
      var box = withdraw.closest("section").querySelector(".problem");
      withdraw.disabled = true;
      send(withdraw.getAttribute("data-action"), "DELETE", withdraw.getAttribute("data-csrf"), {})
        .then(function (r) {
          if (r.ok) { window.location.href = r.body.url; return; }
          showProblem(box, r.body);
          withdraw.disabled = false;
        });
    });
  }

  var remove = document.getElementById("delete");  // one's own document: a commit that deletes it
  if (remove) {
    remove.addEventListener("click", function () {
      if (!window.confirm(word("confirm_delete", "Delete it? It leaves the site; Git's history keeps it."))) return;
      var box = remove.closest("section").querySelector(".problem");
      remove.disabled = true;
      send(remove.getAttribute("data-action"), "DELETE", remove.getAttribute("data-csrf"), {})
        .then(function (r) {
          if (r.ok) {
            try { window.localStorage.removeItem("wol-editor:" + window.location.pathname + window.location.search); }
            catch (e) { /* none */ }
            window.location.href = r.body.url;
            return;
          }
          showProblem(box, r.body);
          remove.disabled = false;
        });
    });
  }

  var vote = document.getElementById("vote-form");  // the vote page: one button, a POST or DELETE, then back
  if (vote) {
    vote.addEventListener("submit", function (event) {
      event.preventDefault();
      var pressed = vote.querySelector("button[type=submit]");
      pressed.disabled = true;
      send(vote.getAttribute("data-action"), vote.getAttribute("data-method"), vote.getAttribute("data-csrf"),
           { target: vote.getAttribute("data-target") })
        .then(function (r) {
          if (r.ok) { window.location.href = vote.getAttribute("data-next"); return; }
          showProblem(vote.querySelector(".problem"), r.body);
          pressed.disabled = false;
        });
    });
  }

  var accept = document.getElementById("accept-form");
  if (accept) {
    accept.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = accept.querySelector("input[name=answer]:checked");
      var box = accept.querySelector(".problem");
      send(accept.getAttribute("data-action"), "POST", accept.getAttribute("data-csrf"),
           { answer: chosen && chosen.value ? chosen.value : null })
        .then(function (r) {
          if (r.ok) { window.location.href = r.body.url; return; }
          showProblem(box, r.body);
        });
    });
  }
})();
