package io.sparserandom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparserandom.generator.DiskParams;
import io.sparserandom.generator.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** shape= among the disk parameters: the size it implies and what it cannot be combined with. */
class ShapeArgumentsTest {
    @Test
    void everyBuiltInShapeLoads() {
        assertEquals(List.of("ext4", "xfs", "btrfs", "gpt"), Shape.builtinNames());
        for (String name : Shape.builtinNames()) {
            Shape s = Shape.load(name);
            assertEquals(16L << 30, s.size(), name);
            assertTrue(s.runCount() > 5, name);
        }
    }

    @Test
    void withoutASizeTheDiskHasTheLearnedSize() {
        DiskParams p = DiskArguments.parse(List.of("shape=ext4", "seed=1")).params();
        assertEquals(16L << 30, p.size());
        assertNotNull(p.shape());
        assertEquals(1L << 40, DiskArguments.parse(List.of("shape=xfs", "1T")).params().size());
    }

    @Test
    void percentRunlengthAndCompatCannotGoWithAShape() {
        for (String bad : List.of("percent=5", "runlength=1M", "compat=nbdkit")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> DiskArguments.parse(List.of("shape=ext4", bad)));
            assertTrue(e.getMessage().contains("shape="), e.getMessage());
        }
    }

    @Test
    void anUnknownShapeNamesTheBuiltIns() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DiskArguments.parse(List.of("shape=ntfs")));
        assertEquals(
                "shape: 'ntfs' is neither a shape file nor a built-in shape (built-in: ext4 xfs"
                        + " btrfs gpt)",
                e.getMessage());
    }

    @Test
    void theCommandExitsTwoForAShapeWithPercent() {
        assertEquals(2, Main.run("shape=ext4", "percent=5", "--run", "true"));
    }
}
