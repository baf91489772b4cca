/*
 * Leg Numbness Assistant chat widget.
 *
 * Embed with one script tag and a small init call:
 *   <script src="https://BOT-HOST/webhooks/webchat/web/widget.js"></script>
 *   <script>LegNumbnessChat.init({ initPayload: "/greet" });</script>
 *
 * Talks to Rasa's socket.io channel (bot/channels/webchat.py). Every text,
 * from the user or the bot, is written with textContent: nothing received is
 * ever parsed as HTML. The conversation (session id, messages and the messages
 * not sent yet) is kept in localStorage so it survives a page reload.
 *
 * No reply lost: socket.io reconnects by itself with back-off while a status
 * line says so; messages typed meanwhile wait in an outbox and go out once,
 * after the session is confirmed again; then the server's copy of the
 * conversation ("history") fills in bot replies sent while the page was away.
 *
 * Keyboard and screen readers: the transcript is a role="log" live region, the
 * emergency banner a role="alert"; after a turn, focus moves to the first
 * option of the new question, or to the newest bot message when focus would
 * otherwise be lost; Escape closes the chat and returns to the launcher.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var BASE = script && script.src ? script.src.replace(/[^/]*$/, "") : "";
  var SOCKET_IO = BASE + "vendor/socket.io-client-4.8.1/socket.io.min.js";
  var MAX_STORED = 500;
  // One bot turn is several messages: focus moves once the turn has settled.
  var FOCUS_DELAY_MS = 350;
  // Wait this long for the server's history before sending the outbox anyway.
  var HISTORY_TIMEOUT_MS = 5000;
  var RECONNECT = { reconnectionDelay: 1000, reconnectionDelayMax: 10000 };

  // Urgency levels (docs/architecture.md). The label, the advice and the
  // not-a-diagnosis note come in the assessment message itself (from the cause
  // table, the one home of these texts); the banner is a summary: the causes,
  // doctor and tests come in the bot's own text messages around it.
  var LEVELS = ["emergency", "urgent", "routine", "self_care"];
  // Only for a message without the table's words (an older action server): an
  // emergency banner must still say to call emergency services, and every
  // banner that it is no diagnosis.
  var MISSING_EMERGENCY_ADVICE = "Call emergency services now.";
  var MISSING_DISCLAIMER = "This is not a diagnosis. See a doctor.";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function button(className, text, onClick) {
    var node = el("button", className, text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function loadOnce(src, done) {
    if (window.io) return done();
    var tag = document.createElement("script");
    tag.src = src;
    tag.onload = function () {
      done();
    };
    tag.onerror = function () {
      done(new Error("could not load " + src));
    };
    document.head.appendChild(tag);
  }

  function loadCss(href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  function newId() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  // ---- Bot messages -------------------------------------------------------
  // A socket payload (live, or from the server's history) becomes the message
  // the transcript stores. Both paths use this, so they compare equal.

  function toBotMessage(data) {
    if (!data || typeof data !== "object") return null;
    var custom = data.custom;
    if (custom && typeof custom === "object" && custom.assessment) {
      return { from: "bot", assessment: custom.assessment };
    }
    var buttons = data.quick_replies || data.buttons || [];
    var message = { from: "bot", text: typeof data.text === "string" ? data.text : "" };
    if (Array.isArray(buttons) && buttons.length) {
      message.buttons = buttons
        .filter(function (b) {
          return b && typeof b.payload === "string";
        })
        .map(function (b) {
          return { title: String(b.title || b.payload), payload: b.payload };
        });
    }
    if (message.text || (message.buttons && message.buttons.length)) return message;
    return null;
  }

  function signature(message) {
    return JSON.stringify([message.text || "", message.buttons || [], message.assessment || null]);
  }

  // The history's messages that the transcript lacks. The history is matched in
  // order against the bot messages shown (which may hold extra ones the server
  // never stored, like apologies); what is left over at its end is missing.
  function missingFromHistory(history, shown) {
    var s = 0;
    var h = 0;
    for (; h < history.length; h++) {
      var wanted = signature(history[h]);
      while (s < shown.length && signature(shown[s]) !== wanted) s++;
      if (s === shown.length) break;
      s++;
    }
    // A transcript that matches nothing was trimmed or is another conversation:
    // adding the whole history would only repeat it.
    if (h === 0 && shown.length > 0) return [];
    return history.slice(h);
  }

  // ---- The chat -------------------------------------------------------------

  function Chat(options) {
    this.options = options;
    this.storageKey = "lna-webchat:v1:" + options.socketUrl;
    this.state = this.load();
    this.ready = false; // session confirmed and history merged on this connection
    this.liveWhileSyncing = null; // bot messages received while history is awaited
    this.turnStart = this.state.messages.length;
    this.build();
    this.renderAll();
    // `open` opens the chat on a first visit; later the visitor's choice wins.
    this.toggle(this.state.open === null ? options.open : this.state.open, false);
  }

  Chat.prototype.fresh = function (open, greeted) {
    return { sessionId: null, messages: [], outbox: [], open: open, greeted: greeted };
  };

  Chat.prototype.load = function () {
    try {
      var raw = window.localStorage.getItem(this.storageKey);
      var saved = raw ? JSON.parse(raw) : null;
      if (saved && Array.isArray(saved.messages)) {
        if (!Array.isArray(saved.outbox)) saved.outbox = [];
        return saved;
      }
    } catch (err) {
      /* storage blocked or corrupt: start afresh */
    }
    return this.fresh(null, false);
  };

  Chat.prototype.save = function () {
    this.state.messages = this.state.messages.slice(-MAX_STORED);
    try {
      window.localStorage.setItem(this.storageKey, JSON.stringify(this.state));
    } catch (err) {
      /* private mode: the chat still works, it just won't survive a reload */
    }
  };

  Chat.prototype.build = function () {
    var self = this;
    var root = el("div", "lna-root");
    root.setAttribute("data-lna", "root");
    root.setAttribute("lang", this.options.language);
    root.setAttribute("data-connection", "connecting");

    var launcher = button("lna-launcher", this.options.launcherText, function () {
      self.toggle(!self.state.open, true);
    });
    launcher.setAttribute("aria-expanded", "false");

    var panel = el("section", "lna-panel");
    panel.id = "lna-panel";
    panel.setAttribute("aria-label", this.options.title);
    launcher.setAttribute("aria-controls", panel.id);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.toggle(false, true);
      }
    });

    var header = el("header", "lna-header");
    header.appendChild(el("h2", "lna-title", this.options.title));
    var reset = button("lna-reset", "New chat", function () {
      self.reset();
    });
    var close = button("lna-close", "×", function () {
      self.toggle(false, true);
    });
    close.setAttribute("aria-label", "Close chat");
    header.appendChild(reset);
    header.appendChild(close);

    this.status = el("p", "lna-status", "Connecting…");
    this.status.setAttribute("role", "status");
    this.log = el("div", "lna-messages");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.setAttribute("aria-label", "Conversation");
    // Focusable so keyboard users can scroll a long conversation.
    this.log.tabIndex = 0;

    var form = el("form", "lna-form");
    this.input = el("input", "lna-input");
    this.input.type = "text";
    this.input.maxLength = 5000; // the channels read up to 5,000 characters (MAX_TEXT_CHARS)
    this.input.autocomplete = "off";
    this.input.placeholder = "Describe what you feel…";
    this.input.setAttribute("aria-label", "Your message");
    var send = el("button", "lna-send", "Send");
    send.type = "submit";
    form.appendChild(this.input);
    form.appendChild(send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) return;
      self.input.value = "";
      self.sendUser(text, text);
    });

    panel.appendChild(header);
    panel.appendChild(this.status);
    this.typing = el("p", "lna-typing", "The assistant is typing…");
    this.typing.hidden = true;
    panel.appendChild(this.log);
    panel.appendChild(this.typing);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);
    this.root = root;
    this.panel = panel;
    this.launcher = launcher;
  };

  // moveFocus: the visitor asked (launcher, close, Escape); a page load never
  // takes focus away from the host page.
  Chat.prototype.toggle = function (open, moveFocus) {
    this.state.open = open;
    this.root.classList.toggle("lna-open", open);
    this.launcher.setAttribute("aria-expanded", String(open));
    this.save();
    if (open) this.scroll();
    if (!moveFocus) return;
    if (open) {
      var option = this.newestOptions();
      (option || this.input).focus();
    } else {
      this.launcher.focus();
    }
  };

  Chat.prototype.reset = function () {
    this.state = this.fresh(true, false);
    this.turnStart = 0;
    this.save();
    this.renderAll();
    this.input.focus();
    this.requestSession(null);
  };

  // The server deleted the conversation: drop the local transcript too, keep
  // only the bot's confirmation, and start a new session for what comes next.
  Chat.prototype.forget = function () {
    var last = this.state.messages[this.state.messages.length - 1];
    var keep = last && last.from === "bot" && last.text ? [last] : [];
    this.state = this.fresh(true, true);
    this.state.messages = keep;
    this.turnStart = keep.length;
    this.save();
    this.renderAll();
    this.requestSession(null);
  };

  // ---- Connection -----------------------------------------------------------

  Chat.prototype.connect = function () {
    var self = this;
    // WebSocket only: one connection carries the whole session, so any Rasa
    // replica behind a load balancer can serve it without sticky sessions
    // (long-polling spreads one session over many requests).
    var socket = window.io(this.options.socketUrl, {
      path: this.options.socketPath,
      transports: ["websocket"],
      reconnection: true,
      reconnectionDelay: RECONNECT.reconnectionDelay,
      reconnectionDelayMax: RECONNECT.reconnectionDelayMax,
    });
    this.socket = socket;
    socket.on("connect", function () {
      self.setConnection("online");
      self.requestSession(self.state.sessionId);
    });
    socket.on("disconnect", function (reason) {
      self.ready = false;
      self.setConnection("reconnecting");
      // The server closed the socket: socket.io does not retry that by itself.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", function () {
      self.setConnection("reconnecting");
    });
    if (socket.io && socket.io.on) {
      socket.io.on("reconnect_attempt", function (attempt) {
        self.root.setAttribute("data-reconnect-attempt", String(attempt));
      });
    }
    socket.on("session_confirm", function (data) {
      self.confirmSession(data && typeof data === "object" ? data.session_id : data);
    });
    socket.on("history", function (data) {
      self.mergeHistory(data);
    });
    socket.on(this.options.botEvent, function (data) {
      if (self.liveWhileSyncing) self.liveWhileSyncing.push(data);
      else self.receive(data);
    });
  };

  Chat.prototype.requestSession = function (sessionId) {
    this.ready = false;
    if (this.socket && this.socket.connected) {
      this.socket.emit("session_request", { session_id: sessionId });
    }
  };

  Chat.prototype.confirmSession = function (id) {
    var self = this;
    var known = id !== null && id !== undefined && String(id) === this.state.sessionId;
    if (!known) {
      this.state.sessionId = String(id);
      this.state.greeted = false;
    }
    this.save();
    if (known && this.hasBotMessages()) {
      // Bot replies may have been sent while this page was away: fetch them
      // before sending anything new, so they keep their place.
      this.liveWhileSyncing = [];
      this.socket.emit("history_request", { session_id: this.state.sessionId });
      window.clearTimeout(this.historyTimer);
      this.historyTimer = window.setTimeout(function () {
        self.mergeHistory(null);
      }, HISTORY_TIMEOUT_MS);
      return;
    }
    this.becomeReady();
  };

  Chat.prototype.hasBotMessages = function () {
    return this.state.messages.some(function (m) {
      return m.from === "bot";
    });
  };

  // data: the server's {session_id, messages}; null when it did not answer.
  Chat.prototype.mergeHistory = function (data) {
    if (!this.liveWhileSyncing) return;
    if (data && data.session_id !== this.state.sessionId) return;
    window.clearTimeout(this.historyTimer);
    var live = this.liveWhileSyncing;
    this.liveWhileSyncing = null;
    var restored = [];
    if (data && Array.isArray(data.messages)) {
      var history = data.messages.map(toBotMessage).filter(Boolean);
      var shown = this.state.messages.filter(function (m) {
        return m.from === "bot";
      });
      restored = missingFromHistory(history, shown);
    }
    var self = this;
    this.insertRestored(restored);
    // A live message that the history already brought is not shown twice.
    var pending = restored.map(signature);
    live.forEach(function (data) {
      var message = toBotMessage(data);
      var at = message ? pending.indexOf(signature(message)) : -1;
      if (at >= 0) pending.splice(at, 1);
      else self.receive(data);
    });
    if (restored.length) this.scheduleFocus();
    this.becomeReady();
  };

  // Restored replies answer messages that were sent: they go before the
  // messages still waiting in the outbox.
  Chat.prototype.insertRestored = function (restored) {
    if (!restored.length) return;
    this.setTyping(false);
    var messages = this.state.messages;
    var at = messages.length;
    while (at > 0 && messages[at - 1].pending) at--;
    this.turnStart = at;
    if (at === messages.length) {
      restored.forEach(this.add, this);
      return;
    }
    Array.prototype.splice.apply(messages, [at, 0].concat(restored));
    this.save();
    this.renderAll();
  };

  Chat.prototype.becomeReady = function () {
    this.ready = true;
    if (!this.state.greeted && this.options.initPayload) {
      this.state.greeted = true;
      this.save();
      this.emit(this.options.initPayload, newId());
    }
    this.flushOutbox();
  };

  var CONNECTION_TEXT = {
    connecting: "Connecting…",
    online: "",
    reconnecting:
      "Connection lost. Reconnecting… Messages you send now will go out when it is back.",
  };

  Chat.prototype.setConnection = function (state) {
    if (state === "online") this.root.removeAttribute("data-reconnect-attempt");
    if (this.root.getAttribute("data-connection") === state && state !== "connecting") return;
    this.root.setAttribute("data-connection", state);
    this.setStatus(CONNECTION_TEXT[state]);
  };

  Chat.prototype.setStatus = function (text) {
    this.status.textContent = text;
    this.status.hidden = !text;
  };

  Chat.prototype.emit = function (payload, messageId) {
    var data = { message: payload, session_id: this.state.sessionId };
    var metadata = {};
    var custom = this.options.customData || {};
    Object.keys(custom).forEach(function (key) {
      metadata[key] = custom[key];
    });
    metadata.message_id = messageId;
    data[this.options.metadataKey] = metadata;
    this.socket.emit(this.options.userEvent, data);
  };

  // ---- Sending --------------------------------------------------------------

  Chat.prototype.sendUser = function (shown, payload) {
    var id = newId();
    this.state.outbox.push({ id: id, payload: payload });
    this.turnStart = this.state.messages.length + 1;
    var message = { from: "user", text: shown, id: id, pending: true };
    if (payload !== shown) message.payload = payload;
    this.add(message);
    this.awaitingFocus = true;
    this.flushOutbox();
  };

  // Each queued message goes out once, in order, only on a confirmed session.
  Chat.prototype.flushOutbox = function () {
    if (!this.ready || !this.socket || !this.socket.connected) return;
    if (this.state.outbox.length) this.setTyping(true);
    while (this.state.outbox.length) {
      var item = this.state.outbox.shift();
      this.markSent(item.id);
      this.save();
      this.emit(item.payload, item.id);
    }
  };

  Chat.prototype.markSent = function (id) {
    for (var i = this.state.messages.length - 1; i >= 0; i--) {
      var message = this.state.messages[i];
      if (message.id === id) {
        delete message.pending;
        var row = this.log.querySelector('[data-message-id="' + id + '"]');
        var note = row && row.querySelector(".lna-pending");
        if (note) note.remove();
        return;
      }
    }
  };

  // Shown from a user message until the first reply (or 20 s without one).
  Chat.prototype.setTyping = function (on) {
    var self = this;
    window.clearTimeout(this.typingTimer);
    this.typing.hidden = !on;
    if (on) {
      this.typingTimer = window.setTimeout(function () {
        self.typing.hidden = true;
      }, 20000);
    }
  };

  // ---- Receiving and rendering ----------------------------------------------

  Chat.prototype.receive = function (data) {
    if (!data || typeof data !== "object") return;
    this.setTyping(false);
    var custom = data.custom;
    if (custom && typeof custom === "object" && custom.conversation_deleted === true) {
      this.forget();
      return;
    }
    var message = toBotMessage(data);
    if (!message) return;
    this.add(message);
    this.scheduleFocus();
  };

  Chat.prototype.add = function (message) {
    this.state.messages.push(message);
    this.save();
    this.log.appendChild(this.render(message, this.state.messages.length - 1));
    this.scroll();
  };

  Chat.prototype.renderAll = function () {
    this.log.textContent = "";
    for (var i = 0; i < this.state.messages.length; i++) {
      this.log.appendChild(this.render(this.state.messages[i], i));
    }
    this.scroll();
  };

  Chat.prototype.render = function (message, index) {
    var node = message.assessment
      ? this.renderAssessment(message.assessment)
      : this.renderMessage(message, index);
    if (message.assessment) this.addSummaryButton(node, index);
    node.setAttribute("data-index", String(index));
    // Bot messages take focus after a turn (see focusNewest), never by Tab.
    if (message.from === "bot") node.tabIndex = -1;
    return node;
  };

  Chat.prototype.renderMessage = function (message, index) {
    var row = el("div", "lna-row lna-" + (message.from === "user" ? "user" : "bot"));
    if (message.id) row.setAttribute("data-message-id", message.id);
    if (message.text) row.appendChild(el("p", "lna-bubble", message.text));
    if (message.pending) {
      row.appendChild(el("p", "lna-pending", "Not sent yet: waiting for the connection."));
    }
    if (message.buttons && message.buttons.length) {
      row.appendChild(this.renderOptions(message, index));
    }
    return row;
  };

  // Answered options stay readable: the chosen one is marked, none fades out.
  Chat.prototype.renderOptions = function (message, index) {
    var self = this;
    var group = el("div", "lna-buttons");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Answers");
    message.buttons.forEach(function (option) {
      var b = button("lna-button", option.title, function () {
        var stored = self.state.messages[index];
        if (stored.answered) return;
        stored.answered = option.payload;
        Array.prototype.forEach.call(group.children, function (child) {
          child.disabled = true;
        });
        b.classList.add("lna-chosen");
        // The pressed button is now disabled: keep focus in the chat, not lost.
        self.log.focus();
        self.sendUser(option.title, option.payload);
      });
      b.disabled = Boolean(message.answered);
      if (message.answered === option.payload) b.classList.add("lna-chosen");
      group.appendChild(b);
    });
    return group;
  };

  // The urgency's words come with the assessment message (the cause table is their
  // one home); the fallbacks only keep an emergency banner saying what to do.
  function urgencyOf(assessment) {
    var level = LEVELS.indexOf(assessment.urgency) >= 0 ? assessment.urgency : "urgent";
    var label =
      assessment.urgency_label || level.charAt(0).toUpperCase() + level.slice(1).replace("_", "-");
    var advice =
      assessment.urgency_advice || (level === "emergency" ? MISSING_EMERGENCY_ADVICE : "");
    return { level: level, label: label, advice: advice };
  }

  Chat.prototype.renderAssessment = function (assessment) {
    var urgency = urgencyOf(assessment);
    var level = urgency.level;
    var box = el("div", "lna-banner lna-banner-" + level);
    box.setAttribute("role", level === "emergency" ? "alert" : "status");
    box.setAttribute("data-urgency", level);
    box.appendChild(el("p", "lna-banner-level", urgency.label));
    if (urgency.advice) box.appendChild(el("p", "lna-banner-advice", urgency.advice));
    box.appendChild(el("p", "lna-banner-note", assessment.disclaimer || MISSING_DISCLAIMER));
    return box;
  };

  Chat.prototype.addSummaryButton = function (box, index) {
    var self = this;
    var open = button("lna-summary-open", "Summary for my doctor (print or copy)", function () {
      self.showSummary(index, open);
    });
    box.appendChild(open);
  };

  // ---- Summary for the doctor -------------------------------------------------
  // A plain, printable page made of what the bot said: the urgency, the
  // assessment's own messages (causes, doctor, tests), and what the person
  // reported (the bot's summary of it when they asked for one, else their own
  // words). Nothing is added but the heading, the date and the disclaimer.

  var SUMMARY_REQUEST = "/ask_summary";
  var SUMMARY_DISCLAIMER =
    "This is not a diagnosis: only a doctor who examines you can find the cause. " +
    "Please see a doctor. In an emergency, call emergency services.";

  Chat.prototype.summaryParts = function (bannerIndex) {
    var messages = this.state.messages;
    var urgency = urgencyOf(messages[bannerIndex].assessment);
    var start = bannerIndex;
    while (start > 0 && messages[start - 1].from === "bot") start--;
    var answer = [];
    for (var i = start; i < bannerIndex; i++) {
      // The message with follow-up options only offers more questions.
      if (messages[i].text && !(messages[i].buttons && messages[i].buttons.length)) {
        answer.push(messages[i].text);
      }
    }
    var reported = [];
    for (var j = messages.length - 1; j > 0; j--) {
      if (messages[j].from === "bot" && messages[j].text &&
          messages[j - 1].payload === SUMMARY_REQUEST) {
        reported = [messages[j].text];
        break;
      }
    }
    if (!reported.length) {
      reported = messages
        .filter(function (m) {
          return m.from === "user" && !m.payload && m.text;
        })
        .map(function (m) {
          return "“" + m.text + "”";
        });
    }
    return { urgency: urgency, level: urgency.level, answer: answer, reported: reported };
  };

  Chat.prototype.summaryText = function (parts) {
    var lines = [this.options.title + " — summary for my doctor", new Date().toLocaleDateString(), ""];
    lines.push("Urgency: " + [parts.urgency.label, parts.urgency.advice].filter(Boolean).join(". "), "");
    lines.push("What I reported:");
    lines = lines.concat(parts.reported, [""]);
    lines.push("What the assistant said:");
    lines = lines.concat(parts.answer, ["", SUMMARY_DISCLAIMER]);
    return lines.join("\n");
  };

  Chat.prototype.showSummary = function (bannerIndex, opener) {
    var self = this;
    var parts = this.summaryParts(bannerIndex);
    if (this.summary) this.summary.remove();
    var dialog = el("dialog", "lna-summary");
    dialog.setAttribute("aria-labelledby", "lna-summary-title");
    dialog.setAttribute("lang", this.options.language);
    var title = el("h1", "lna-summary-title", "Summary for my doctor");
    title.id = "lna-summary-title";
    title.tabIndex = -1;
    dialog.appendChild(title);
    dialog.appendChild(
      el("p", "lna-summary-meta", this.options.title + " · " + new Date().toLocaleDateString())
    );
    var urgency = el("p", "lna-summary-urgency lna-banner-" + parts.level);
    urgency.appendChild(el("strong", null, parts.urgency.label + (parts.urgency.advice ? ": " : "")));
    urgency.appendChild(document.createTextNode(parts.urgency.advice));
    dialog.appendChild(urgency);
    dialog.appendChild(el("h2", null, "What I reported"));
    parts.reported.forEach(function (text) {
      dialog.appendChild(el("p", "lna-summary-text", text));
    });
    dialog.appendChild(el("h2", null, "What the assistant said"));
    parts.answer.forEach(function (text) {
      dialog.appendChild(el("p", "lna-summary-text", text));
    });
    dialog.appendChild(el("p", "lna-summary-disclaimer", SUMMARY_DISCLAIMER));

    var actions = el("div", "lna-summary-actions");
    var print = button("lna-summary-print", "Print", function () {
      window.print();
    });
    var copied = el("p", "lna-summary-copied");
    copied.setAttribute("role", "status");
    var copy = button("lna-summary-copy", "Copy text", function () {
      var text = self.summaryText(parts);
      var done = function () {
        copied.textContent = "Copied.";
      };
      var failed = function () {
        copied.textContent = "Could not copy: select the text and copy it instead.";
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, failed);
      } else {
        failed();
      }
    });
    var close = button("lna-summary-close", "Close", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () {
      dialog.remove();
      self.summary = null;
      if (opener && opener.isConnected) opener.focus();
    });
    actions.appendChild(print);
    actions.appendChild(copy);
    actions.appendChild(close);
    actions.appendChild(copied);
    dialog.appendChild(actions);
    this.root.appendChild(dialog);
    this.summary = dialog;
    // Printing shows the summary alone: the host page and the chat are hidden.
    this.root.classList.add("lna-printing-summary");
    document.body.classList.add("lna-print-host");
    dialog.addEventListener("close", function () {
      self.root.classList.remove("lna-printing-summary");
      document.body.classList.remove("lna-print-host");
    });
    dialog.showModal();
    title.focus();
  };

  // ---- Focus ------------------------------------------------------------------

  Chat.prototype.scheduleFocus = function () {
    var self = this;
    window.clearTimeout(this.focusTimer);
    this.focusTimer = window.setTimeout(function () {
      self.focusNewest();
    }, FOCUS_DELAY_MS);
  };

  // The first open option of the newest bot message, when it asks a question.
  Chat.prototype.newestOptions = function () {
    var newest = this.newestBotMessage();
    if (!newest || Number(newest.getAttribute("data-index")) < this.turnStart) return null;
    return newest.querySelector(".lna-button:not(:disabled)");
  };

  Chat.prototype.newestBotMessage = function () {
    var rows = this.log.children;
    for (var i = rows.length - 1; i >= 0; i--) {
      if (rows[i].tabIndex === -1) return rows[i];
    }
    return null;
  };

  // After a bot turn: the first option of its newest message when that asks a
  // question, else the newest message itself (an assessment banner, say).
  // Someone typing keeps the input, and focus elsewhere on the host page is
  // never taken.
  Chat.prototype.focusNewest = function () {
    if (!this.state.open) return;
    var active = document.activeElement;
    var inWidget = active && this.root.contains(active);
    var lost = !active || active === document.body;
    if (!inWidget && !(lost && this.awaitingFocus)) return;
    if (active === this.input && this.input.value) return;
    this.awaitingFocus = false;
    var target = this.newestOptions();
    if (!target && active !== this.input) target = this.newestBotMessage();
    if (target) target.focus();
  };

  Chat.prototype.scroll = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  function init(userOptions) {
    var o = userOptions || {};
    var origin = BASE ? new URL(BASE).origin : window.location.origin;
    var options = {
      socketUrl: o.socketUrl || origin,
      socketPath: o.socketPath || "/socket.io/",
      title: o.title || "Leg Numbness Assistant",
      launcherText: o.launcherText || "Chat about leg numbness",
      initPayload: o.initPayload || null,
      open: Boolean(o.open),
      language: o.language || "en",
      userEvent: o.userEvent || "user_uttered",
      botEvent: o.botEvent || "bot_uttered",
      metadataKey: o.metadataKey || "customData",
      customData: o.customData || { language: "en" },
    };
    loadCss(BASE + "widget.css");
    var chat = new Chat(options);
    loadOnce(o.socketIoSrc || SOCKET_IO, function (err) {
      if (err) return chat.setStatus("The chat could not load. Please try again later.");
      chat.connect();
    });
    return chat;
  }

  window.LegNumbnessChat = { init: init };
})();
