package org.smmulab.peer.qemu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/** A line channel answering each line with a function of it, recording what was sent. */
final class ScriptedChannel implements LineChannel {
  final List<String> sent = new ArrayList<>();
  private final Deque<String> replies = new ArrayDeque<>();
  private final Function<String, String> answer;

  ScriptedChannel(Function<String, String> answer) {
    this.answer = answer;
  }

  @Override
  public void send(String line) {
    sent.add(line);
    String reply = answer.apply(line);
    if (reply != null) {
      replies.add(reply);
    }
  }

  @Override
  public String receive(long timeoutNanos) {
    String r = replies.poll();
    if (r == null) {
      throw new PeerLinkException("no reply within " + timeoutNanos + " ns");
    }
    return r;
  }
}
