/*
 * Leg Numbness Assistant chat widget.
 *
 * Embed with one script tag and a small init call:
 *   <script src="https://BOT-HOST/webhooks/webchat/web/widget.js"></script>
 *   <script>LegNumbnessChat.init({ initPayload: "/greet" });</script>
 *
 * Talks to Rasa's socket.io channel (bot/channels/webchat.py). Every text,
 * from the user or the bot, is written with textContent: nothing received is
 * ever parsed as HTML. The conversation (session id and messages) is kept in
 * localStorage so it survives a page reload.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var BASE = script && script.src ? script.src.replace(/[^/]*$/, "") : "";
  var SOCKET_IO = BASE + "vendor/socket.io-client-4.8.1/socket.io.min.js";
  var MAX_STORED = 200;

  // Urgency levels (docs/architecture.md). The emergency banner always tells
  // the reader to call emergency services. The banner is a summary: the causes,
  // doctor and tests come in the bot's own text messages around it.
  var URGENCY = {
    emergency: {
      label: "Emergency",
      advice: "Call emergency services now.",
    },
    urgent: {
      label: "Urgent",
      advice: "See a doctor within 24–48 hours.",
    },
    routine: {
      label: "Routine",
      advice: "Book a visit with the doctor named in the answer.",
    },
    self_care: {
      label: "Self-care",
      advice: "May be harmless and passing. Keep an eye on it; see a doctor if it gets worse.",
    },
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
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

  function Chat(options) {
    this.options = options;
    this.storageKey = "lna-webchat:v1:" + options.socketUrl;
    this.state = this.load();
    this.build();
    this.renderAll();
    // `open` opens the chat on a first visit; later the visitor's choice wins.
    this.toggle(this.state.open === null ? options.open : this.state.open);
  }

  Chat.prototype.load = function () {
    var fresh = { sessionId: null, messages: [], open: null, greeted: false };
    try {
      var raw = window.localStorage.getItem(this.storageKey);
      var saved = raw ? JSON.parse(raw) : null;
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (err) {
      /* storage blocked or corrupt: start afresh */
    }
    return fresh;
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

    var launcher = el("button", "lna-launcher", this.options.launcherText);
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.addEventListener("click", function () {
      self.toggle(!self.state.open);
    });

    var panel = el("section", "lna-panel");
    panel.setAttribute("aria-label", this.options.title);

    var header = el("header", "lna-header");
    header.appendChild(el("h2", "lna-title", this.options.title));
    var reset = el("button", "lna-reset", "New chat");
    reset.type = "button";
    reset.addEventListener("click", function () {
      self.reset();
    });
    var close = el("button", "lna-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close chat");
    close.addEventListener("click", function () {
      self.toggle(false);
    });
    header.appendChild(reset);
    header.appendChild(close);

    this.status = el("p", "lna-status", "Connecting…");
    this.log = el("div", "lna-messages");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.setAttribute("aria-label", "Conversation");
    // Focusable so keyboard users can scroll a long conversation.
    this.log.tabIndex = 0;

    var form = el("form", "lna-form");
    this.input = el("input", "lna-input");
    this.input.type = "text";
    this.input.maxLength = 1000;
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
    this.launcher = launcher;
  };

  Chat.prototype.toggle = function (open) {
    this.state.open = open;
    this.root.classList.toggle("lna-open", open);
    this.launcher.setAttribute("aria-expanded", String(open));
    this.save();
    if (open) {
      this.scroll();
      this.input.focus();
    }
  };

  Chat.prototype.reset = function () {
    this.state = { sessionId: null, messages: [], open: true, greeted: false };
    this.save();
    this.renderAll();
    if (this.socket) this.socket.emit("session_request", { session_id: null });
  };

  // The server deleted the conversation: drop the local transcript too, keep
  // only the bot's confirmation, and start a new session for what comes next.
  Chat.prototype.forget = function () {
    var last = this.state.messages[this.state.messages.length - 1];
    var keep = last && last.from === "bot" && last.text ? [last] : [];
    this.state = { sessionId: null, messages: keep, open: true, greeted: true };
    this.save();
    this.renderAll();
    if (this.socket) this.socket.emit("session_request", { session_id: null });
  };

  Chat.prototype.connect = function () {
    var self = this;
    var socket = window.io(this.options.socketUrl, { path: this.options.socketPath });
    this.socket = socket;
    socket.on("connect", function () {
      self.setStatus("");
      socket.emit("session_request", { session_id: self.state.sessionId });
    });
    socket.on("disconnect", function () {
      self.setStatus("Connection lost. Reconnecting…");
    });
    socket.on("connect_error", function () {
      self.setStatus("Cannot reach the assistant. Retrying…");
    });
    socket.on("session_confirm", function (data) {
      var id = data && typeof data === "object" ? data.session_id : data;
      if (id !== self.state.sessionId) {
        self.state.sessionId = String(id);
        self.state.greeted = false;
      }
      self.save();
      if (!self.state.greeted && self.options.initPayload) {
        self.state.greeted = true;
        self.save();
        self.emit(self.options.initPayload);
      }
    });
    socket.on(this.options.botEvent, function (data) {
      self.receive(data);
    });
  };

  Chat.prototype.setStatus = function (text) {
    this.status.textContent = text;
    this.status.hidden = !text;
  };

  Chat.prototype.emit = function (payload) {
    if (!this.socket) return;
    var data = { message: payload, session_id: this.state.sessionId };
    data[this.options.metadataKey] = this.options.customData;
    this.socket.emit(this.options.userEvent, data);
  };

  Chat.prototype.sendUser = function (shown, payload) {
    this.add({ from: "user", text: shown });
    this.emit(payload);
    this.setTyping(true);
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

  Chat.prototype.receive = function (data) {
    if (!data || typeof data !== "object") return;
    this.setTyping(false);
    var custom = data.custom;
    if (custom && typeof custom === "object" && custom.conversation_deleted === true) {
      this.forget();
      return;
    }
    if (custom && typeof custom === "object" && custom.assessment) {
      this.add({ from: "bot", assessment: custom.assessment });
      return;
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
    if (message.text || (message.buttons && message.buttons.length)) this.add(message);
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
    if (message.assessment) return this.renderAssessment(message.assessment);
    var self = this;
    var row = el("div", "lna-row lna-" + (message.from === "user" ? "user" : "bot"));
    if (message.text) row.appendChild(el("p", "lna-bubble", message.text));
    if (message.buttons && message.buttons.length) {
      var group = el("div", "lna-buttons");
      message.buttons.forEach(function (button) {
        var b = el("button", "lna-button", button.title);
        b.type = "button";
        b.disabled = Boolean(message.answered);
        b.addEventListener("click", function () {
          var stored = self.state.messages[index];
          if (stored.answered) return;
          stored.answered = true;
          Array.prototype.forEach.call(group.children, function (child) {
            child.disabled = true;
          });
          self.sendUser(button.title, button.payload);
        });
        group.appendChild(b);
      });
      row.appendChild(group);
    }
    return row;
  };

  Chat.prototype.renderAssessment = function (assessment) {
    var level = URGENCY[assessment.urgency] ? assessment.urgency : "urgent";
    var info = URGENCY[level];
    var box = el("div", "lna-banner lna-banner-" + level);
    box.setAttribute("role", level === "emergency" ? "alert" : "status");
    box.setAttribute("data-urgency", level);
    box.appendChild(el("p", "lna-banner-level", info.label));
    box.appendChild(el("p", "lna-banner-advice", info.advice));
    box.appendChild(
      el("p", "lna-banner-note", "This is information, not a diagnosis. See a doctor.")
    );
    return box;
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
