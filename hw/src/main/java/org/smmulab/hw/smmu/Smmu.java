package org.smmulab.hw.smmu;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.smmulab.arch.bus.InterruptLines;
import org.smmulab.arch.bus.Memory;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.cmd.Command;
import org.smmulab.arch.cmd.Opcode;
import org.smmulab.arch.event.EventRecord;
import org.smmulab.arch.event.EventType;
import org.smmulab.arch.ste.SteFields;
import org.smmulab.arch.ste.StreamConfig;
import org.smmulab.hw.pcie.AddressTranslationCache;
import org.smmulab.hw.pcie.AtcEntry;
import org.smmulab.hw.pcie.AtsCompletion;
import org.smmulab.hw.pcie.Endpoint;
import org.smmulab.hw.pcie.UpstreamPort;
import org.smmulab.hw.smmu.config.ConfigCache;
import org.smmulab.hw.smmu.config.ConfigFetcher;
import org.smmulab.hw.smmu.config.ResolvedStream;
import org.smmulab.hw.smmu.observe.SmmuListener;
import org.smmulab.hw.smmu.observe.SmmuStatistics;
import org.smmulab.hw.smmu.observe.TranslationCounters;
import org.smmulab.hw.smmu.regs.CommandError;
import org.smmulab.hw.smmu.regs.CommandExecutor;
import org.smmulab.hw.smmu.regs.CommandQueueConsumer;
import org.smmulab.hw.smmu.regs.CommandValidator;
import org.smmulab.hw.smmu.regs.EventQueueWriter;
import org.smmulab.hw.smmu.regs.RegisterFile;
import org.smmulab.hw.smmu.regs.WiredInterrupts;
import org.smmulab.hw.smmu.tlb.TlbEntry;
import org.smmulab.hw.smmu.tlb.TranslationCacheSet;
import org.smmulab.hw.smmu.txn.Permissions;
import org.smmulab.hw.smmu.txn.Transaction;
import org.smmulab.hw.smmu.txn.TranslationFault;
import org.smmulab.hw.smmu.txn.TranslationOutcome;
import org.smmulab.hw.smmu.walk.TableWalker;
import org.smmulab.hw.smmu.walk.WalkResult;

/**
 * One SMMUv3 instance on a shared physical memory: software drives it through {@link #registers()}
 * and {@link #interrupts()} only, and endpoints reach memory through it ({@link UpstreamPort}).
 *
 * <p>The translation pipeline, top to bottom ({@link #translate}):
 *
 * <ol>
 *   <li>SMMUEN off: GBPA decides, abort or bypass;
 *   <li>configuration ({@link ConfigFetcher} with the config cache): a configuration error ends the
 *       transaction with its event; abort and bypass STEs end it without;
 *   <li>the TLB, tagged by world, kind, VMID and ASID (global entries match any ASID); a hit whose
 *       permissions allow the access is the answer;
 *   <li>otherwise the {@link TableWalker}; its leaf goes into the TLB under the generation read
 *       before the configuration was resolved (CFGI commands move that generation too, so a
 *       translation built on a configuration read before a CFGI caches nothing after it);
 *   <li>with speculative fill on, translations near the one just walked or hit go into the TLB too,
 *       under the same generation ({@link SpeculativeFill});
 *   <li>a fault's event, when recorded, goes to the event queue;
 *   <li>a translation that a CFGI or TLBI overtook is made again, so none completes on what an
 *       invalidation retired before it ({@link #completeBeforeInvalidations}).
 * </ol>
 *
 * <p>Commands arrive through the command queue and reach {@link Dispatcher}: CFGI to the config
 * cache, TLBI to the TLB and walk cache, ATC_INV to the endpoint owning the StreamID, whose failure
 * makes the next CMD_SYNC end with CERROR_ATC_INV_SYNC.
 *
 * <p>Thread-safety: any number of threads may translate while software writes registers and the
 * command consumer runs. {@link #connect} and {@link #setListener} may be called at any time.
 *
 * <p>Listener cost: with no listener installed (or {@link SmmuListener#NONE}) each translation,
 * command and event pays one volatile read and one well-predicted comparison with {@code NONE}, and
 * no call is made.
 */
public final class Smmu implements UpstreamPort, AutoCloseable {
  /** Attempts a translation makes before it holds invalidations off. */
  static final int OPTIMISTIC_ATTEMPTS = 8;

  private final String name;
  private final SmmuConfig config;
  private final Memory memory;
  private final WiredInterrupts interrupts = new WiredInterrupts();
  private final RegisterFile registers;
  private final TranslationCacheSet caches;
  private final TableWalker walker;
  private final ConfigCache configCache;
  private final ConfigFetcher fetcher;
  private final EventQueueWriter events;
  private final CommandQueueConsumer consumer;
  private final Map<Integer, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final TranslationCounters counters = new TranslationCounters();
  private final SpeculativeFill speculation;
  private volatile SmmuListener listener = SmmuListener.NONE;

  /**
   * Builds the instance, reset: SMMUEN off, GBPA bypass, queues disabled.
   *
   * @param name the instance's name, for traces and thread names
   * @param config what the instance implements and how its caches behave
   * @param memory the physical memory shared with software and endpoints
   */
  public Smmu(String name, SmmuConfig config, Memory memory) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.memory = Objects.requireNonNull(memory, "memory");
    this.registers = new RegisterFile(name, config, memory, interrupts);
    this.caches = new TranslationCacheSet(config.model());
    this.walker = new TableWalker(memory, caches, config.oasBits());
    this.speculation =
        config.model().speculativeFill()
            ? new SpeculativeFill(
                walker, caches, config.model().seed(), config.model().speculativeFillPeriod())
            : null;
    this.configCache =
        new ConfigCache(
            config.model().configCacheEntries(),
            config.model().seed(),
            config.model().configEvictionOneIn(),
            config.model().configPartialRefetch());
    this.fetcher =
        new ConfigFetcher(
            memory,
            config,
            configCache,
            (stream, txn, ipa) -> walker.toPhysical(stream, txn, ipa, EventRecord.CLASS_CD));
    this.events = new EventQueueWriter(registers);
    this.consumer =
        new CommandQueueConsumer(
            registers, new Dispatcher(), new CommandValidator(config), config.model().seed());
  }

  /** The instance's name. */
  public String name() {
    return name;
  }

  /** What the instance implements. */
  public SmmuConfig config() {
    return config;
  }

  /** The MMIO window software programs the instance through. */
  public RegisterBus registers() {
    return registers;
  }

  /** The wired interrupt outputs. */
  public InterruptLines interrupts() {
    return interrupts;
  }

  /** The TLB and walk cache, for inspection. */
  public TranslationCacheSet caches() {
    return caches;
  }

  /** The config cache, for inspection. */
  public ConfigCache configCache() {
    return configCache;
  }

  /** Installs the listener told of every command, event and translation. */
  public void setListener(SmmuListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Connects an endpoint: ATC_INV commands for its StreamIDs reach it from now on.
   *
   * @throws IllegalArgumentException if one of its StreamIDs already belongs to another endpoint
   */
  public void connect(Endpoint endpoint) {
    for (int sid : endpoint.streamIds()) {
      Endpoint other = endpoints.putIfAbsent(sid, endpoint);
      if (other != null && other != endpoint) {
        throw new IllegalArgumentException(
            name + ": StreamID " + sid + " already belongs to " + other.name());
      }
    }
  }

  // ---------------------------------------------------------------- translation

  @Override
  public TranslationOutcome translate(Transaction txn) {
    TranslationOutcome outcome = completeBeforeInvalidations(this::decide, txn);
    counters.count(outcome);
    SmmuListener l = listener;
    if (l != SmmuListener.NONE) {
      l.translation(name, txn, outcome);
    }
    return outcome;
  }

  /** One attempt at a translation, reading configuration and caches from {@code generation} on. */
  private interface Attempt {
    TranslationOutcome run(Transaction txn, long generation);
  }

  /**
   * Runs {@code attempt} so that it completes before every invalidation that completes after it
   * began, as the architecture requires of a CMD_SYNC: once the sync after a CFGI or TLBI has
   * completed, no transaction may still be using what the command invalidated, even one that began
   * before it. An attempt is optimistic; if a CFGI or TLBI completed meanwhile (the caches'
   * generation moved), its outcome may rest on a configuration or an entry software has since
   * retired (a device moved to another domain walking its old domain's tables, say), and the
   * attempt is made again. Terminated outcomes stand as they are: their events are recorded, and a
   * transaction that began under the old configuration may fault under it. After {@value
   * #OPTIMISTIC_ATTEMPTS} overtaken attempts the last one runs with invalidations held off ({@link
   * TranslationCacheSet#holdingInvalidations}), so a stream of invalidations delays a translation
   * but never starves it.
   */
  private TranslationOutcome completeBeforeInvalidations(Attempt attempt, Transaction txn) {
    for (int i = 0; i < OPTIMISTIC_ATTEMPTS; i++) {
      long generation = caches.generation();
      TranslationOutcome outcome = attempt.run(txn, generation);
      if (outcome.status() == TranslationOutcome.Status.TERMINATED
          || caches.generation() == generation) {
        return outcome;
      }
    }
    return caches.holdingInvalidations(() -> attempt.run(txn, caches.generation()));
  }

  private TranslationOutcome decide(Transaction txn, long generation) {
    if (!registers.smmuEnabled()) {
      return registers.gbpaAbort()
          ? TranslationOutcome.terminated(
              null, TranslationOutcome.Source.GLOBAL, "SMMUEN off, GBPA aborts")
          : TranslationOutcome.bypassed(txn.address(), TranslationOutcome.Source.GLOBAL);
    }
    ResolvedStream stream;
    try {
      stream = fetcher.resolve(registers.configuration(), txn);
    } catch (TranslationFault fault) {
      return terminate(fault, TranslationOutcome.Source.CONFIG);
    }
    switch (stream.mode()) {
      case ABORT:
        return TranslationOutcome.terminated(
            null, TranslationOutcome.Source.CONFIG, "the STE aborts this stream");
      case BYPASS:
        return TranslationOutcome.bypassed(txn.address(), TranslationOutcome.Source.CONFIG);
      default:
        break;
    }
    TlbEntry hit =
        caches.lookup(stream.world(), stream.kind(), stream.vmid(), stream.asid(), txn.address());
    if (hit != null && hit.permissions().allows(txn)) {
      if (speculation != null) {
        speculation.afterHit(stream, txn, hit, generation);
      }
      return TranslationOutcome.translated(
          hit.translate(txn.address()), TranslationOutcome.Source.TLB);
    }
    try {
      WalkResult result = walker.walk(stream, txn, generation);
      caches.insert(result.entry(), generation);
      if (speculation != null) {
        speculation.afterWalk(stream, txn, result.entry(), generation);
      }
      return TranslationOutcome.translated(result.outputAddress(), TranslationOutcome.Source.WALK);
    } catch (TranslationFault fault) {
      return terminate(fault, TranslationOutcome.Source.WALK);
    }
  }

  private TranslationOutcome terminate(TranslationFault fault, TranslationOutcome.Source source) {
    EventRecord event = fault.event();
    if (event != null) {
      record(event);
    }
    return TranslationOutcome.terminated(event, source, fault.getMessage());
  }

  private void record(EventRecord event) {
    boolean written = events.record(event);
    SmmuListener l = listener;
    if (l != SmmuListener.NONE) {
      l.event(name, event, written);
    }
  }

  // ---------------------------------------------------------------- ATS

  /**
   * An ATS translation request. Refused with F_BAD_ATS_TREQ when SMMUEN is off or the effective
   * STE.EATS is 0 (bypass STEs included); refused silently for an abort STE or a configuration
   * error (translation requests record no configuration events) and for translation faults, which a
   * PCIe completion reports as no access. EATS = translate returns the full translation, and an
   * S1DSS bypass returns the input address. Split-stage ATS (EATS = S1CHK, effective only with
   * CR0.ATSCHK) returns the stage-1 translation, whose output is an IPA: the translated accesses
   * that use it go through stage 2 ({@link #translatedAccess}); a stream without stage 1 gets the
   * identity.
   */
  @Override
  public AtsCompletion translationRequest(Transaction txn) {
    AtsCompletion completion = answerRequest(txn);
    SmmuListener l = listener;
    if (l != SmmuListener.NONE) {
      l.translationRequest(name, txn, completion);
    }
    return completion;
  }

  private AtsCompletion answerRequest(Transaction txn) {
    long generation = caches.generation();
    if (!registers.smmuEnabled()) {
      return refuseRequest(txn);
    }
    ResolvedStream stream;
    try {
      stream = fetcher.resolve(registers.configuration(), txn);
    } catch (TranslationFault fault) {
      return AtsCompletion.failure(null);
    }
    if (stream.mode() == ResolvedStream.Mode.ABORT) {
      return AtsCompletion.failure(null);
    }
    int eats = effectiveEats(stream);
    if (eats == SteFields.EATS_ABORT) {
      return refuseRequest(txn);
    }
    if (eats == SteFields.EATS_SPLIT_S1CHK) {
      if (!stream.stage1()) {
        return identityCompletion(txn);
      }
      try {
        TlbEntry s1 = walker.walkStage1(stream, txn).entry();
        return AtsCompletion.success(
            new AtcEntry(
                txn.substreamValid(),
                txn.substreamId(),
                s1.tag().global(),
                s1.inputBase(),
                s1.sizeShift(),
                s1.outputBase(),
                s1.permissions()));
      } catch (TranslationFault fault) {
        return AtsCompletion.failure(null);
      }
    }
    if (stream.mode() == ResolvedStream.Mode.BYPASS) {
      return identityCompletion(txn);
    }
    TlbEntry entry =
        caches.lookup(stream.world(), stream.kind(), stream.vmid(), stream.asid(), txn.address());
    if (entry == null || !entry.permissions().allows(txn)) {
      try {
        entry = walker.walk(stream, txn, generation).entry();
        caches.insert(entry, generation);
      } catch (TranslationFault fault) {
        return AtsCompletion.failure(null);
      }
    }
    return AtsCompletion.success(
        new AtcEntry(
            txn.substreamValid(),
            txn.substreamId(),
            entry.tag().global(),
            entry.inputBase(),
            entry.sizeShift(),
            entry.outputBase(),
            entry.permissions()));
  }

  /** A completion that maps the request's page to itself (stage 1 skipped, nothing else). */
  private static AtsCompletion identityCompletion(Transaction txn) {
    long page = txn.address() & ~0xFFFL;
    return AtsCompletion.success(
        new AtcEntry(
            txn.substreamValid(), txn.substreamId(), false, page, 12, page, Permissions.ALL));
  }

  private AtsCompletion refuseRequest(Transaction txn) {
    EventRecord event =
        EventRecord.transactionFault(
            EventType.F_BAD_ATS_TREQ,
            txn.streamId(),
            txn.substreamValid() ? OptionalInt.of(txn.substreamId()) : OptionalInt.empty(),
            txn.address(),
            !txn.write(),
            txn.privileged(),
            txn.instruction());
    record(event);
    return AtsCompletion.failure(event);
  }

  /**
   * A translated access (the endpoint translated the address through its ATC). With SMMUEN off it
   * is refused with F_TRANSL_FORBIDDEN; with CR0.ATSCHK clear it passes unchecked; otherwise the
   * STE decides: an invalid STE or an abort STE terminates it silently, an effective EATS of 0
   * records F_TRANSL_FORBIDDEN, full ATS lets it through, and split-stage ATS translates it through
   * stage 2.
   */
  @Override
  public TranslationOutcome translatedAccess(Transaction txn) {
    TranslationOutcome outcome = completeBeforeInvalidations(this::checkTranslated, txn);
    counters.count(outcome);
    SmmuListener l = listener;
    if (l != SmmuListener.NONE) {
      l.translation(name, txn, outcome);
    }
    return outcome;
  }

  private TranslationOutcome checkTranslated(Transaction txn, long generation) {
    if (!registers.smmuEnabled()) {
      return forbidTranslated(txn);
    }
    if (!registers.atsCheck()) {
      return TranslationOutcome.bypassed(txn.address(), TranslationOutcome.Source.GLOBAL);
    }
    ResolvedStream stream;
    try {
      stream = fetcher.resolve(registers.configuration(), txn);
    } catch (TranslationFault fault) {
      return TranslationOutcome.terminated(
          null, TranslationOutcome.Source.CONFIG, "translated access: " + fault.getMessage());
    }
    if (stream.mode() == ResolvedStream.Mode.ABORT) {
      return TranslationOutcome.terminated(
          null, TranslationOutcome.Source.CONFIG, "translated access to an aborting stream");
    }
    int eats = effectiveEats(stream);
    if (eats == SteFields.EATS_FULL) {
      return TranslationOutcome.bypassed(txn.address(), TranslationOutcome.Source.CONFIG);
    }
    if (eats == SteFields.EATS_SPLIT_S1CHK) {
      ResolvedStream stage2 =
          new ResolvedStream(
              ResolvedStream.Mode.TRANSLATE,
              stream.ste(),
              null,
              false,
              true,
              stream.world(),
              stream.vmid(),
              0);
      try {
        return TranslationOutcome.translated(
            walker.walk(stage2, txn, generation).outputAddress(), TranslationOutcome.Source.WALK);
      } catch (TranslationFault fault) {
        return terminate(fault, TranslationOutcome.Source.WALK);
      }
    }
    return forbidTranslated(txn);
  }

  private TranslationOutcome forbidTranslated(Transaction txn) {
    EventRecord event =
        EventRecord.transactionFault(
            EventType.F_TRANSL_FORBIDDEN,
            txn.streamId(),
            OptionalInt.empty(),
            txn.address(),
            !txn.write(),
            txn.privileged(),
            txn.instruction());
    record(event);
    return TranslationOutcome.terminated(
        event, TranslationOutcome.Source.CONFIG, "translated access not allowed");
  }

  /**
   * STE.EATS as it takes effect: 0 without ATS, for bypass STEs, for the DPT encoding, and for
   * split-stage without CR0.ATSCHK.
   */
  private int effectiveEats(ResolvedStream stream) {
    if (!config.ats() || stream.ste().config() == StreamConfig.BYPASS) {
      return SteFields.EATS_ABORT;
    }
    int eats = stream.ste().eats();
    if (eats == 3 || (eats == SteFields.EATS_SPLIT_S1CHK && !registers.atsCheck())) {
      return SteFields.EATS_ABORT;
    }
    return eats;
  }

  // ---------------------------------------------------------------- observability

  /** A snapshot of the instance's counters. */
  public SmmuStatistics statistics() {
    Map<String, Long> commands = new LinkedHashMap<>();
    for (Opcode op : Opcode.values()) {
      long n = consumer.consumed(op.value());
      if (n > 0) {
        commands.put(op.specName(), n);
      }
    }
    Map<String, Long> errors = new LinkedHashMap<>();
    for (CommandError e : CommandError.values()) {
      long n = consumer.errors(e);
      if (n > 0) {
        errors.put(e.name(), n);
      }
    }
    Map<String, Long> eventTypes = new LinkedHashMap<>();
    for (EventType t : EventType.values()) {
      long n = events.produced(t.value());
      if (n > 0) {
        eventTypes.put(t.name(), n);
      }
    }
    long[] atc = new long[7];
    for (Endpoint e : Set.copyOf(endpoints.values())) {
      if (e.atc() != null) {
        AddressTranslationCache.Statistics s = e.atc().statistics();
        long[] v = {
          s.hits(),
          s.misses(),
          s.inserts(),
          s.staleInsertsDropped(),
          s.evictions(),
          s.invalidations(),
          s.invalidated()
        };
        for (int i = 0; i < v.length; i++) {
          atc[i] += v[i];
        }
      }
    }
    TranslationCacheSet.Statistics cacheStats = caches.statistics();
    return new SmmuStatistics(
        name,
        commands,
        errors,
        eventTypes,
        events.counts(),
        counters.get(TranslationOutcome.Status.TRANSLATED),
        counters.get(TranslationOutcome.Status.BYPASSED),
        counters.get(TranslationOutcome.Status.TERMINATED),
        counters.get(TranslationOutcome.Status.TRANSLATED, TranslationOutcome.Source.TLB),
        counters.get(TranslationOutcome.Status.TRANSLATED, TranslationOutcome.Source.WALK)
            + counters.get(TranslationOutcome.Status.TERMINATED, TranslationOutcome.Source.WALK),
        cacheStats.tlb(),
        cacheStats.walkCache(),
        configCache.statistics(),
        new AddressTranslationCache.Statistics(
            atc[0], atc[1], atc[2], atc[3], atc[4], atc[5], atc[6]));
  }

  /** Stops the instance's command thread (asynchronous mode). */
  @Override
  public void close() {
    consumer.close();
  }

  @Override
  public String toString() {
    return name;
  }

  /** Where consumed commands go. Called on the consuming thread only. */
  private final class Dispatcher implements CommandExecutor {
    /** Whether an ATC invalidation failed since the last CMD_SYNC; consumer thread only. */
    private boolean atcFailed;

    @Override
    public void execute(Command command) {
      switch (command.opcode()) {
        case CFGI_STE, CFGI_STE_RANGE, CFGI_CD, CFGI_CD_ALL -> {
          configCache.invalidate(command);
          caches.configurationChanged();
        }
        case ATC_INV -> {
          Endpoint endpoint = endpoints.get(command.sid());
          if (endpoint != null && !endpoint.invalidate(command)) {
            atcFailed = true;
          }
        }
        default -> caches.invalidate(command);
      }
      SmmuListener l = listener;
      if (l != SmmuListener.NONE) {
        l.command(name, command, null);
      }
    }

    @Override
    public boolean completeOutstanding() {
      boolean ok = !atcFailed;
      atcFailed = false;
      return ok;
    }

    @Override
    public void stopped(Command command, CommandError error, String reason) {
      SmmuListener l = listener;
      if (command != null && l != SmmuListener.NONE) {
        l.command(name, command, error.name());
      }
    }
  }
}
