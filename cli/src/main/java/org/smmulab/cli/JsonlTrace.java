package org.smmulab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.hw.pcie.AtcEntry;
import org.smmulab.hw.pcie.AtsCompletion;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationOutcome;
import org.smmulab.verify.scenario.Step;
import org.smmulab.verify.scenario.TraceListener;

/**
 * Writes a scenario run's trace as JSON Lines: one object per step start, command, event,
 * translation and ATS translation request, each with {@code "type"} and the index of the step it
 * belongs to ({@code null} during probe and reset).
 *
 * <p>Thread-safe: instances report commands from their own threads; lines are written whole under
 * this object's lock. The first write failure is kept ({@link #failure()}) and later lines are
 * dropped.
 */
final class JsonlTrace implements TraceListener {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Writer out;
  private volatile Integer step;
  private IOException failure;

  JsonlTrace(Writer out) {
    this.out = out;
  }

  /** The first write failure, or {@code null}. */
  synchronized IOException failure() {
    return failure;
  }

  /** Records a failure of the writer's owner (closing it), unless one was already recorded. */
  synchronized void noteFailure(IOException e) {
    if (failure == null) {
      failure = e;
    }
  }

  @Override
  public void step(int index, Step s) {
    this.step = index;
    ObjectNode n = line("step");
    n.put("op", s.op());
    n.put("line", s.at().line());
    n.put("description", s.describe());
    write(n);
  }

  @Override
  public void command(String instance, Command command, String error) {
    ObjectNode n = line("command");
    n.put("instance", instance);
    n.put("opcode", command.layout().name());
    n.set("fields", ImageJson.fields(command));
    n.set("qwords", ImageJson.qwords(command));
    if (error == null) {
      n.putNull("error");
    } else {
      n.put("error", error);
    }
    write(n);
  }

  @Override
  public void event(String instance, EventRecord event, boolean written) {
    ObjectNode n = line("event");
    n.put("instance", instance);
    n.put("event", event.layout().name());
    n.set("fields", ImageJson.fields(event));
    n.put("written", written);
    write(n);
  }

  @Override
  public void translation(String instance, Transaction txn, TranslationOutcome outcome) {
    ObjectNode n = line("translation");
    n.put("instance", instance);
    putTransaction(n, txn);
    n.put("status", outcome.status().name());
    n.put("source", outcome.source().name());
    if (outcome.succeeded()) {
      n.put("pa", ScenarioJson.hex(outcome.outputAddress()));
    } else {
      n.put("event", outcome.event() == null ? null : outcome.event().layout().name());
      n.put("reason", outcome.reason());
    }
    write(n);
  }

  @Override
  public void translationRequest(String instance, Transaction txn, AtsCompletion completion) {
    ObjectNode n = line("ats-request");
    n.put("instance", instance);
    putTransaction(n, txn);
    n.put("succeeded", completion.succeeded());
    if (completion.succeeded()) {
      AtcEntry e = completion.entry();
      n.put("inputBase", ScenarioJson.hex(e.inputBase()));
      n.put("size", ScenarioJson.hex(1L << e.sizeShift()));
      n.put("outputBase", ScenarioJson.hex(e.outputBase()));
      n.put("global", e.global());
      n.put("permissions", e.permissions().toString());
    } else {
      n.put("event", completion.event() == null ? null : completion.event().layout().name());
    }
    write(n);
  }

  private static void putTransaction(ObjectNode n, Transaction txn) {
    n.put("sid", txn.streamId());
    if (txn.substreamValid()) {
      n.put("ssid", txn.substreamId());
    } else {
      n.putNull("ssid");
    }
    n.put("address", ScenarioJson.hex(txn.address()));
    n.put("write", txn.write());
    n.put("privileged", txn.privileged());
    n.put("instruction", txn.instruction());
  }

  private ObjectNode line(String type) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", type);
    Integer s = step;
    if (s == null) {
      n.putNull("step");
    } else {
      n.put("step", s);
    }
    return n;
  }

  private synchronized void write(ObjectNode n) {
    if (failure != null) {
      return;
    }
    try {
      out.write(MAPPER.writeValueAsString(n));
      out.write('\n');
    } catch (JsonProcessingException e) {
      failure = new IOException(e);
    } catch (IOException e) {
      failure = e;
    }
  }
}
