package io.glinerspark.source;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Cache folders that only their user can change. A model in the cache is loaded and run as it is found, so a folder
 * that another user owns or may write to could hand this user a model of that user's choosing. A missing folder is
 * created with mode 0700; an existing one must be owned by the user running this JVM and not be writable by group
 * or others, else it is refused. Read or search bits for group or others on a folder the user owns are cleared
 * (nobody else could have written into it). On file systems without POSIX attributes nothing is checked.
 */
final class CacheFolders {

    private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private static volatile UserPrincipal currentUser;

    private CacheFolders() {
    }

    /**
     * {@code folder}, created with mode 0700 when missing (its missing parents with the default mode), after checking
     * that it belongs to this user alone.
     *
     * @throws ModelSourceException naming the folder when another user owns it or may write into it
     */
    static Path privateFolder(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        try {
            if (!Files.exists(dir)) {
                if (dir.getParent() != null) {
                    Files.createDirectories(dir.getParent());
                }
                try {
                    createPrivate(dir);
                } catch (FileAlreadyExistsException e) {
                    // Another caller created it first: it is checked below like any existing folder.
                }
            }
            if (!Files.isDirectory(dir)) {
                throw new ModelSourceException("cache folder " + dir + " is not a folder: remove it or set "
                        + ModelSources.CACHE_ENV + " to a folder of your own");
            }
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
            if (view == null) {
                return dir;
            }
            PosixFileAttributes attributes = view.readAttributes();
            UserPrincipal me = currentUser();
            if (!attributes.owner().equals(me)) {
                throw new ModelSourceException("cache folder " + dir + " is owned by " + attributes.owner().getName()
                        + ", not by " + me.getName() + " who runs this program: a model cached there could be replaced by "
                        + "that user; set " + ModelSources.CACHE_ENV + " to a folder of your own");
            }
            Set<PosixFilePermission> permissions = attributes.permissions();
            if (permissions.stream().anyMatch(OTHERS_WRITE::contains)) {
                throw new ModelSourceException("cache folder " + dir + " is writable by other users (mode "
                        + PosixFilePermissions.toString(permissions) + "): a model cached there could be replaced; "
                        + "make it private (chmod 700 " + dir + ") or set " + ModelSources.CACHE_ENV
                        + " to a folder of your own");
            }
            if (!permissions.equals(PRIVATE) && permissions.containsAll(EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))) {
                view.setPermissions(PRIVATE);
            }
            return dir;
        } catch (IOException e) {
            throw new ModelSourceException("cannot create or check cache folder " + dir + ": " + e, e);
        }
    }

    /** Creates {@code folder} and its missing parents, each readable and writable by this user only. */
    static Path createPrivateDirectories(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return folder;
        }
        Path parent = folder.toAbsolutePath().getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            return createPrivate(folder);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(folder)) {
                return folder; // made by a concurrent caller
            }
            throw e;
        }
    }

    /** Creates {@code folder} (its parent must exist) readable and writable by this user only. */
    static Path createPrivate(Path folder) throws IOException {
        if (Files.getFileAttributeView(folder.toAbsolutePath().getParent(), PosixFileAttributeView.class) == null) {
            return Files.createDirectory(folder);
        }
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PRIVATE));
        // The mode given at creation is masked by the umask; this sets exactly 0700.
        Files.setPosixFilePermissions(folder, PRIVATE);
        return folder;
    }

    /**
     * The user this JVM runs as, as the file system sees it: the owner of this process's {@code /proc} entry on Linux,
     * else of a file it has just created. The user name the JVM reports may not exist in the password database of a
     * container.
     */
    private static UserPrincipal currentUser() throws IOException {
        UserPrincipal user = currentUser;
        if (user == null) {
            Path self = Path.of("/proc/self");
            if (Files.isDirectory(self)) {
                user = Files.getOwner(self);
            } else {
                Path probe = Files.createTempFile("gliner-owner", ".probe");
                try {
                    user = Files.getOwner(probe);
                } finally {
                    Files.deleteIfExists(probe);
                }
            }
            currentUser = user;
        }
        return user;
    }
}
