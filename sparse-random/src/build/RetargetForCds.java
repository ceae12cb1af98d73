import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jdk.internal.org.objectweb.asm.ClassReader;
import jdk.internal.org.objectweb.asm.ClassVisitor;
import jdk.internal.org.objectweb.asm.ClassWriter;
import jdk.internal.org.objectweb.asm.Opcodes;

/**
 * Build step (package phase, after the shade): rewrites the pre-Java 6 class files under a
 * package prefix (picocli's) in the runnable jar as Java 8 class files with stack map frames,
 * unchanged otherwise.
 *
 * <p>Why: JDK 17's class-data sharing archive skips class files older than Java 6, so picocli's
 * 173 classes were parsed and verified from the jar at every start, the largest single cost of
 * {@code sparse-random 4G --run true} (see docs/performance.md). Run with the JDK's own copy of ASM
 * (no dependency to download): {@code java --add-exports
 * java.base/jdk.internal.org.objectweb.asm=ALL-UNNAMED RetargetForCds.java JAR PREFIX}. Only the
 * classes every start loads are worth the risk of rewriting (commons-math's are old too). Best effort: if
 * it cannot, it says so and leaves the jar as it was (only start-up is slower).
 */
public final class RetargetForCds {
    private static final int JAVA_6 = 50;

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        String prefix = args[1];
        Path out = jar.resolveSibling(jar.getFileName() + ".retarget");
        int rewritten = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
                URLClassLoader types =
                        new URLClassLoader(
                                new URL[] {jar.toUri().toURL()},
                                ClassLoader.getPlatformClassLoader());
                OutputStream file = Files.newOutputStream(out);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().startsWith(prefix)
                        && entry.getName().endsWith(".class")
                        && majorVersion(bytes) < JAVA_6) {
                    bytes = retarget(bytes, types);
                    rewritten++;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                zip.putNextEntry(copy);
                zip.write(bytes);
                zip.closeEntry();
            }
        } catch (RuntimeException | IOException | LinkageError e) {
            Files.deleteIfExists(out);
            System.err.println(
                    "RetargetForCds: left " + jar + " as it was (start-up will be slower): " + e);
            return;
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("RetargetForCds: " + rewritten + " class files now Java 8 in " + jar);
    }

    private static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    /** Same code, version 52, frames computed (the Java 6+ verifier needs them). */
    private static byte[] retarget(byte[] classFile, ClassLoader types) {
        ClassWriter writer =
                new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
                    @Override
                    protected ClassLoader getClassLoader() {
                        return types;
                    }
                };
        new ClassReader(classFile)
                .accept(
                        new ClassVisitor(Opcodes.ASM8, writer) {
                            @Override
                            public void visit(
                                    int version,
                                    int access,
                                    String name,
                                    String signature,
                                    String superName,
                                    String[] interfaces) {
                                super.visit(
                                        Opcodes.V1_8,
                                        access,
                                        name,
                                        signature,
                                        superName,
                                        interfaces);
                            }
                        },
                        ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
