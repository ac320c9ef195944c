package org.smmulab.peer.diff;

import java.util.ArrayList;
import java.util.List;
import org.smmulab.arch.bus.RegisterBus;
import org.smmulab.arch.codec.Field;
import org.smmulab.arch.regs.Idr0;
import org.smmulab.arch.regs.Idr1;
import org.smmulab.arch.regs.Idr3;
import org.smmulab.arch.regs.Idr5;
import org.smmulab.arch.regs.RegisterOffsets;

/**
 * Step 0 of a peer run: the ID registers QEMU reports against the model preset's, field by field. A
 * field the driver reads must match; {@code IDR3.HAD} is explained (the model's configuration has
 * no HAD bit, and the driver never sets CD.HAD0/HAD1, so no step can depend on it).
 */
public final class IdRegisterComparison {
  private IdRegisterComparison() {}

  /** The differing ID-register fields, each judged. */
  public static List<Difference> compare(RegisterBus model, RegisterBus qemu) {
    List<Difference> out = new ArrayList<>();
    compare("IDR0", RegisterOffsets.IDR0, Idr0.LAYOUT.fields(), model, qemu, out);
    compare("IDR1", RegisterOffsets.IDR1, Idr1.LAYOUT.fields(), model, qemu, out);
    compare("IDR3", RegisterOffsets.IDR3, Idr3.LAYOUT.fields(), model, qemu, out);
    compare("IDR5", RegisterOffsets.IDR5, Idr5.LAYOUT.fields(), model, qemu, out);
    return out;
  }

  private static void compare(
      String register,
      int offset,
      List<Field> fields,
      RegisterBus model,
      RegisterBus qemu,
      List<Difference> out) {
    int m = model.read32(offset);
    int q = qemu.read32(offset);
    if (m == q) {
      return;
    }
    long[] mq = {Integer.toUnsignedLong(m)};
    long[] qq = {Integer.toUnsignedLong(q)};
    for (Field f : fields) {
      long mv = f.get(mq);
      long qv = f.get(qq);
      if (mv == qv) {
        continue;
      }
      String name = register + "." + f.name();
      boolean had = name.equals("IDR3.HAD");
      out.add(
          new Difference(
              0,
              "ID registers",
              name,
              String.format("%s = 0x%x (register 0x%08x)", name, mv, m),
              String.format("%s = 0x%x (register 0x%08x)", name, qv, q),
              had ? Verdict.EXPLAINED : Verdict.UNEXPLAINED,
              had ? "model-has-no-had-knob" : null,
              had
                  ? "the model's configuration cannot advertise HAD; the driver never sets"
                      + " CD.HAD0/HAD1, so nothing in a run depends on it"
                  : "the qemu-like preset does not report what this QEMU reports"));
    }
  }
}
