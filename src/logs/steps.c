/* steps.c — the restore knowledge tables (see steps.h for the source tags). */
#include "logs/steps.h"

#include "logs/scan_priv.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define CL BT_STEPF_CLEANUP
#define PA BT_STEPF_PARENT
#define HO BT_STEPF_HOST

/* Checkpoint ids and names as phones print them (RLF§8). Subsystems are our reading of what
 * each step touches; where nothing in DESIGN.md's list fits, "unknown". install_splat stays
 * "unknown" because no subsystem class matches it (labels-notes, remark on 0x6A6). ASR steps
 * are "filesystem" as the corpus labels have them (f23). */
static const struct bt_step_info steps[] = {
	{ 0x400, "umask", NULL, "unknown", 0, "ramdisk start", "RLF§8 f03" },
	{ 0x402, "setvbuf", NULL, "unknown", 0, "ramdisk start", "RLF§8 f03" },
	{ 0x403, "kernel_logger_thread", NULL, "unknown", 0, "ramdisk start", "RLF§8 f03" },
	{ 0x404, "update_root_mount", NULL, "filesystem", 0, "ramdisk root mount", "RLF§8 f03" },
	{ 0x405, "disable_watchdog", NULL, "unknown", 0, "ramdisk start", "RLF§8 f03" },
	{ 0x406, "set_progress_0", NULL, "unknown", 0, "display power-on", "RLF§8 f03" },
	{ 0x407, "start_gasgauge_thread", NULL, "unknown", 0, "battery fuel gauge; its WARNING is harmless", "RLF§8 qemu-t8030#18 #262" },
	{ 0x408, "listen_for_log_client", NULL, "unknown", 0, "ramdisk start", "RLF§8 f03" },
	{ 0x40D, "create_listen_socket", NULL, "usb", 0, "ramdisk start (restore socket)", "RLF§8 f03" },
	{ 0x40E, "enable_usb", NULL, "usb", 0, "waits for AppleUSBDeviceMux: the USB link", "RLF§8 f03" },
	{ 0x600, "client_protocol_version", NULL, "host", 0, "host handshake", "RLF§8 f03" },
	{ 0x601, "copy_restore_options", NULL, "host", 0, "host-supplied options", "RLF§8 f03" },
	{ 0x604, "set_weight_from_options", NULL, "unknown", 0, "", "RLF§8 f03" },
	{ 0x608, "device_has_hoover", NULL, "unknown", 0, "", "RLF§8 f03" },
	{ 0x609, "load_sep_os", NULL, "unknown", 0, "boots sepOS (SEP)", "RLF§8 f03 #675" },
	{ 0x60B, "update_ticket", NULL, "unknown", 0, "APTicket / boot nonce check", "RLF§8 f03" },
	{ 0x60C, "partition_nand", NULL, "storage", 0, "partitions the storage", "RLF§8 f03" },
	{ 0x60D, "wait_for_storage", NULL, "storage", 0, "waits for the NAND service (ASPStorage / AppleEmbeddedNVMeController)", "RLF§8 f03 f07 #638" },
	{ 0x60E, "update_NAND_firmware", "update_s3e_firmware", "storage", 0, "storage controller firmware (nvmefwupdater)", "RLF§8 f07 f13 #638" },
	{ 0x60F, "clear_remap_variable", NULL, "nvram", 0, "NVRAM", "RLF§8 f03" },
	{ 0x610, "asp_nand_set_writable", NULL, "storage", 0, "", "RLF§8 f03" },
	{ 0x611, "reprobe_storage", NULL, "storage", 0, "storage / partition table", "RLF§8 f03" },
	{ 0x612, "reprobe_firmware", NULL, "storage", 0, "firmware partition", "RLF§8 f03" },
	{ 0x613, "find_filesystem_partitions", NULL, "filesystem", 0, "", "RLF§8 f03" },
	{ 0x614, "mount_system_partition", NULL, "filesystem", 0, "fsck_apfs, mount", "RLF§8 f03" },
	{ 0x615, "copy_hardware_info", NULL, "unknown", 0, "identity", "RLF§8 f03" },
	{ 0x616, "fdr_create", NULL, "fdr", 0, "factory data (needs FDR Trust data from the host)", "RLF§8 f08 f13" },
	{ 0x617, "fdr_save_data", NULL, "fdr", 0, "", "RLF§8 f03 f07" },
	{ 0x618, "store_baseband_migration", NULL, "baseband", 0, "baseband data", "RLF§8 f03 f07" },
	{ 0x619, "check_for_restore_log", NULL, "unknown", 0, "", "RLF§8 f03" },
	{ 0x61A, "check_for_ota_logs", NULL, "filesystem", 0, "data-volume mount", "RLF§8 f03" },
	{ 0x61B, "submit_update_stats", NULL, "host", 0, "network via the host proxy", "RLF§8 f03" },
	{ 0x61D, "unmount_unconditionally", NULL, "filesystem", 0, "", "RLF§8 f03" },
	{ 0x61F, "format_effaceable_storage", NULL, "storage", 0, "effaceable area", "RLF§8 f03" },
	{ 0x620, "format_storage_for_lwvm", NULL, "storage", 0, "", "RLF§8 f03" },
	{ 0x621, "create_filesystem_partitions", NULL, "storage", 0, "", "RLF§8 homepod-restore#19" },
	{ 0x622, "reload_filesystem_partitions", NULL, "storage", 0, "", "RLF§8 f03" },
	{ 0x624, "restore_images", NULL, "filesystem", 0, "ASR image write (pre-APFS)", "RLF§8 f03" },
	{ 0x634, "fdr_recover", NULL, "fdr", 0, "FDR via the host reverse proxy", "RLF§8 f16 sunst0rm#89" },
	{ 0x635, "update_device_firmware", NULL, "firmware_updater", PA, "parent of the 0x13xx updaters", "RLF§8 f26 f34" },
	{ 0x63C, "verify_fdr_data", NULL, "fdr", 0, "", "RLF§8 f09" },
	{ 0x640, "set_autoboot_delay", NULL, "nvram", 0, "", "RLF§8 pymobiledevice3#1701" },
	{ 0x643, "get_apfs_options", NULL, "filesystem", 0, "", "RLF§8 f03" },
	{ 0x645, "check_not_apfs_mount", NULL, "filesystem", 0, "", "RLF§8 f03" },
	{ 0x647, "cleanup_check_result", NULL, "unknown", CL, "cleanup", "RLF§8 f03" },
	{ 0x648, "cleanup_send_final_status", NULL, "unknown", CL, "cleanup; the host pins the error text here", "RLF§8 f03 f18" },
	{ 0x649, "cleanup_wait_status_received", NULL, "unknown", CL, "cleanup", "RLF§8 f09" },
	{ 0x64A, "cleanup_write_restore_log", NULL, "unknown", CL, "cleanup", "RLF§8 f09" },
	{ 0x64E, "clean_nand", NULL, "storage", 0, "", "RLF§8 f03" },
	{ 0x64F, "check_apfs_format", NULL, "filesystem", 0, "", "RLF§8 Legacy-iOS-Kit#362" },
	{ 0x653, "create_readwrite_ramdisk", NULL, "unknown", 0, "", "RLF§8 f03" },
	{ 0x654, "read_previous_os_build_version", NULL, "filesystem", 0, "", "RLF§8 f03" },
	{ 0x655, "is_host_compatible", NULL, "host", 0, "host handshake", "RLF§8 f03" },
	{ 0x658, "format_media", NULL, "storage", 0, "", "RLF§8 #339" },
	{ 0x659, "find_volumes_after_format", NULL, "storage", 0, "", "RLF§8 #246" },
	{ 0x65A, "baseband_migration_data", NULL, "baseband", 0, "", "RLF§8 #262 #390" },
	{ 0x65B, "asr_and_invert_image", NULL, "filesystem", 0, "ASR image write (APFS)", "RLF§8 f23 f24" },
	{ 0x65C, "print_nvram_variables", NULL, "nvram", 0, "", "RLF§8 #304" },
	{ 0x65D, "delete_mobilebackups", NULL, "filesystem", 0, "", "RLF§8 #675" },
	{ 0x65F, "reserve_overprov_space", NULL, "storage", 0, "", "RLF§8 f21" },
	{ 0x661, "read_persistent_files", NULL, "filesystem", 0, "", "RLF§8 homepod-restore#19" },
	{ 0x662, "write_persistent_files", NULL, "filesystem", 0, "", "RLF§8 #246 #262" },
	{ 0x665, "fsck_filesystems", NULL, "filesystem", 0, "", "RLF§8 #675" },
	{ 0x668, "update_firmware_post_sealing", NULL, "firmware_updater", PA, "parent of the 0x15xx updaters", "RLF§8 #354" },
	{ 0x674, "create_protected_filesystems", NULL, "storage", 0, "", "RLF§8 #779" },
	{ 0x677, "perform_main_os_prepare", NULL, "unknown", PA, "parent step (formatting)", "RLF§8 #339" },
	{ 0x67B, "perform_restore_installing", NULL, "unknown", PA, "parent of the install phase", "RLF§8 f16 f20 f21" },
	{ 0x67C, "cleanup_boot_command", NULL, "unknown", CL, "cleanup", "RLF§8 f17" },
	{ 0x67D, "fdr_auto_challenge_claim", NULL, "fdr", 0, "", "RLF§8 sunst0rm#89" },
	{ 0x67E, "verify_storage_for_update", NULL, "storage", 0, "", "RLF§8 homepod-restore#8" },
	{ 0x680, "read_new_os_build_version", NULL, "filesystem", 0, "", "RLF§8 f19 f21" },
	{ 0x68A, "format_ean_storage", NULL, "storage", 0, "EAN area", "RLF§8 homepod-restore#19" },
	{ 0x68F, "libauthinstall_callback", NULL, "unknown", 0, "", "RLF§8 #304 deleo#17" },
	{ 0x693, "preload_keys_for_fsck", NULL, "filesystem", 0, "filesystem keys (SEP)", "RLF§8 #675" },
	{ 0x696, "fix_cache_delete", NULL, "filesystem", 0, "", "RLF§8 #675" },
	{ 0x6A6, "install_splat", NULL, "unknown", 0, "security-response / cryptex payload", "RLF§8 f19 f20 f21" },
	{ 0x6B4, "await_system_image_invert_retry", NULL, "storage", 0, "ASR retry", "RLF§8 #679 #779" },
	{ 0x6BB, "migrate_user_fsevents", NULL, "filesystem", 0, "", "RLF§8 pymobiledevice3#1701" },
	{ 0x6C2, "cleanup_send_crash_logs", NULL, "unknown", CL, "cleanup", "RLF§8 #679" },
	{ 0x900, "baseband_migration_data", NULL, "baseband", 0, "group NOT_APFS", "RLF§8 f03" },
	{ 0x901, "check_update", NULL, "unknown", 0, "group NOT_APFS", "RLF§8 f03" },
	{ 0xA00, "roll_media_keys", NULL, "storage", 0, "group NOT_APFS_UPDATE", "RLF§8 f03" },
	{ 0xA02, "options_system_image", NULL, "storage", 0, "group NOT_APFS_UPDATE", "RLF§8 f03" },
	{ 0xB00, "mount_filesystem", NULL, "filesystem", 0, "group NOT_APFS_OPTIONS", "RLF§8 f03" },
	{ 0xB01, "resize_system_partition", NULL, "filesystem", 0, "group NOT_APFS_OPTIONS", "RLF§8 f03" },
	{ 0xB02, "unmount_filesystem", NULL, "filesystem", 0, "group NOT_APFS_OPTIONS", "RLF§8 f03" },
	{ 0xC03, "baseband_migration_data", NULL, "baseband", 0, "group APFS_RELOAD", "RLF§8 Legacy-iOS-Kit#362" },
	{ 0xC05, "restore_invert", NULL, "storage", 0, "group APFS_RELOAD", "RLF§8 Legacy-iOS-Kit#362" },
	{ 0xF10, "create_production_dcrt", NULL, "unknown", 0, "", "RLF§8 #779" },
	{ 0x1300, "update_iBoot", NULL, "firmware_updater", 0, "writes LLB / iBoot to the boot flash", "idevicerestore#130 (restore-step-names {0x10031300:update_iBoot})" },
	{ 0x1303, "update_baseband", NULL, "baseband", 0, "bbupdater", "RLF§8 f09 f12" },
	{ 0x1306, "update_tcon", NULL, "firmware_updater", 0, "display timing controller", "RLF§8 #651" },
	{ 0x1307, "update_orion", NULL, "firmware_updater", 0, "peripheral firmware", "RLF§8 #651" },
	{ 0x1308, "update_madea", NULL, "firmware_updater", 0, "peripheral firmware", "RLF§8 #651" },
	{ 0x1309, "update_se", NULL, "secure_element", 0, "Secure Element / NFC", "RLF§8 f34" },
	{ 0x130B, "update_usbc", NULL, "firmware_updater", 0, "USB-C port controller", "RLF§8 #651" },
	{ 0x130C, "update_aht", NULL, "firmware_updater", 0, "peripheral firmware", "RLF§8 #651" },
	{ 0x130D, "update_savage", NULL, "firmware_updater", 0, "Face ID security module", "RLF§8 #651" },
	{ 0x130E, "update_peppy", NULL, "firmware_updater", 0, "peripheral firmware", "RLF§8 #651" },
	{ 0x130F, "update_nitrogen", NULL, "firmware_updater", 0, "peripheral firmware", "RLF§8 #651" },
	{ 0x1310, "update_rose", NULL, "firmware_updater", 0, "U1 chip (name inferred: Rose errors recorded under this key)", "RLF§8 #354 (inference)" },
	{ 0x1319, "stage_fdr_ean", NULL, "fdr", 0, "", "RLF§8 qemu-t8030#86" },
	{ 0x131A, "ensure_fdr_ean", NULL, "fdr", 0, "", "RLF§8 qemu-t8030#86" },
	{ 0x131F, "update_canary", NULL, "firmware_updater", 0, "peripheral firmware", "RLF§8 #651" },
	{ 0x1324, "update_appletconnuarp", NULL, "firmware_updater", 0, "display TCON over UARP", "RLF§8 #675" },
	{ 0x132A, "await_update_baseband_legacy", NULL, "baseband", 0, "", "RLF§8 #675" },
	{ 0x132C, "await_update_update_veridian", NULL, "firmware_updater", 0, "battery management", "RLF§8 #675 f19" },
	{ 0x132D, "await_update_vinyl", NULL, "firmware_updater", 0, "eSIM", "RLF§8 #675" },
	{ 0x132E, "await_update_rose", NULL, "firmware_updater", 0, "U1 chip", "RLF§8 #675" },
	{ 0x132F, "await_update_se", NULL, "secure_element", 0, "Secure Element", "RLF§8 #675" },
	{ 0x1500, "decompress_pearl_data", NULL, "firmware_updater", 0, "Face ID calibration data", "RLF§8 #603" },
	{ 0x1503, "update_rose_postseal", NULL, "firmware_updater", 0, "U1 chip", "RLF§8 qemu-t8030#86" },
	{ 0x1613, "cleanup_recovery_os_volume", NULL, "unknown", CL, "cleanup", "RLF§8 #735" },
	/* Names seen only in error text or host phases (no id printed). */
	{ -1, "update_stockholm", NULL, "secure_element", 0, "NFC controller / SE updater (Stockholm)", "RLF§9.3 f32 f33" },
	{ -1, "send_nordata", NULL, "usb", HO, "host sends NORData (boot firmware) over USB", "RLF§2.3 f29 f30 f39" },
	{ -1, "send_baseband_data", NULL, "baseband", HO, "host sends BasebandData", "RLF§2.3 f10 f11" },
	{ -1, "send_filesystem", NULL, "usb", HO, "host streams the system image to ASR", "RLF§2.3" },
	{ -1, "validate_filesystem", NULL, "filesystem", HO, "ASR on the phone checks the image before the stream (idevicerestore asr.c: \"Validating the filesystem\")", "idevicerestore asr.c restore.c; libusbmuxd#36 (asr died, signal 11)" },
	{ -1, "send_fdr_trust_data", NULL, "fdr", HO, "host sends FDR Trust data", "RLF§2.3 f36" },
	{ -1, "send_kernelcache", NULL, "usb", HO, "host sends the kernelcache", "RLF§2.3 f42" },
	{ -1, "send_bootstrap", NULL, "usb", HO, "host uploads iBSS/iBEC/ramdisk in DFU/recovery", "RLF§2.2 f31" },
};

/* Error texts from `[n]D(...)` chains that name their step without saying its id. */
static const struct { const char *text; const char *step; const char *source; } texts[] = {
	{ "failed to install splat", "install_splat", "f18 f20 f21" },
	{ "install splat", "install_splat", "RLF§2.4" },
	{ "failed to restore APFS image", "asr_and_invert_image", "f23" },
	{ "failed to restore image", "restore_images", "RLF§4.1 f03" },
	{ "RestoredFDRCreate", "fdr_create", "f08 f13" },
	{ "NfRestore Failed", "update_stockholm", "f32 f33" },
	{ "Update[Stockholm]", "update_stockholm", "labels-notes" },
	{ "Rose updater", "update_rose", "RLF§2.4 f22" },
	{ "Rose firmware", "update_rose", "idevicerestore#322 (host: Couldn't get Rose firmware data)" },
	{ "SE updater", "update_se", "idevicerestore#217 (performNextStage on SE updater)" },
	{ "update_iBoot_image3_NOR_access", "update_iBoot", "Legacy-iOS-Kit#348, #56 (runs inside update_iBoot)" },
	{ "update_NOR", "update_iBoot", "iOS 4 ramdisk's name for the boot-flash (LLB/iBoot) write: 'entering update_NOR', 'img3_flash_NOR_image: flashing LLB data' (codyd51/gala restore-log.md)" },
	{ "didn't accept BasebandData", "update_baseband", "idevicerestore restore.c; f10 (the device's baseband update refused the data)" },
	{ "update_baseband", "update_baseband", "RLF§9.3 f09" },
	{ "failed to update device firmware", "update_device_firmware", "f32" },
	/* host errors of the step being served (idevicerestore restore.c) */
	{ "fetch Savage ticket", "update_savage", "idevicerestore restore.c (updater ticket request; #651)" },
	{ "fetch Rose ticket", "update_rose", "idevicerestore restore.c (updater ticket request)" },
	{ "fetch SE ticket", "update_se", "idevicerestore restore.c (updater ticket request)" },
	{ "Unable to send baseband data", "update_baseband", "idevicerestore restore.c restore_send_baseband_data: no BasebandData for the device's request (tss, bbfw)" },
	{ "unable to validate the filesystem", "validate_filesystem", "idevicerestore restore.c (asr_perform_validation fails)" },
	{ "Unable to send filesystem", "send_filesystem", "idevicerestore restore.c restore_send_filesystem" },
};

/* idevicerestore's progress table (RLF§7, irs). Steps name the matching checkpoint. */
static const struct bt_op_info ops[] = {
	{ 11, "Creating partition map", "partition_nand", "storage", "RLF§7 irs" },
	{ 12, "Creating filesystem", NULL, "filesystem", "RLF§7 irs" },
	{ 13, "Restoring image", "restore_images", "filesystem", "RLF§7 irs" },
	{ 14, "Verifying restore", NULL, "storage", "RLF§7 irs" },
	{ 15, "Checking filesystems", NULL, "filesystem", "RLF§7 irs" },
	{ 16, "Mounting filesystems", NULL, "filesystem", "RLF§7 irs" },
	{ 17, "Fixing up /var", NULL, "filesystem", "RLF§7 irs" },
	{ 18, "Flashing firmware", "update_device_firmware", "firmware_updater", "RLF§7 irs" },
	{ 19, "Updating baseband", "update_baseband", "baseband", "RLF§7 irs" },
	{ 20, "Setting boot stage", NULL, "nvram", "RLF§7 irs" },
	{ 21, "Rebooting device", NULL, "unknown", "RLF§7 irs" },
	{ 22, "Shutdown device", NULL, "unknown", "RLF§7 irs" },
	{ 25, "Modifying persistent boot-args", NULL, "nvram", "RLF§7 irs" },
	{ 27, "Installing kernelcache", NULL, "filesystem", "RLF§7 irs" },
	{ 28, "Waiting for NAND", "wait_for_storage", "storage", "RLF§7 irs" },
	{ 29, "Unmounting filesystems", NULL, "filesystem", "RLF§7 irs" },
	{ 35, "Loading firmware data to flash", NULL, "firmware_updater", "RLF§7 irs" },
	{ 36, "Requesting FUD data", NULL, "firmware_updater", "RLF§7 irs" },
	{ 38, "Checking battery voltage", NULL, "unknown", "RLF§7 irs" },
	{ 39, "Waiting for battery to charge", NULL, "unknown", "RLF§7 irs" },
	{ 44, "Checking for uncollected logs", NULL, "unknown", "RLF§7 irs" },
	{ 47, "Updating gas gauge software", NULL, "firmware_updater", "RLF§7 irs" },
	{ 48, "Preparing for baseband", NULL, "baseband", "RLF§7 irs" },
	{ 49, "Booting the baseband", NULL, "baseband", "RLF§7 irs" },
	{ 50, "Creating system key bag", NULL, "unknown", "RLF§7 irs" },
	{ 51, "Resizing system partition", NULL, "storage", "RLF§7 irs" },
	{ 55, "Updating Stockholm", "update_stockholm", "secure_element", "RLF§7 irs" },
	{ 57, "Certifying SEP", NULL, "unknown", "RLF§7 irs" },
	{ 58, "Updating NAND Firmware", "update_NAND_firmware", "storage", "RLF§7 irs f05 f38" },
	{ 59, "Updating SE Firmware", "update_se", "secure_element", "RLF§7 irs" },
	{ 60, "Updating Savage", "update_savage", "firmware_updater", "RLF§7 irs" },
	{ 61, "Installing DeviceTree", NULL, "unknown", "RLF§7 irs" },
	{ 62, "Certifying Savage", NULL, "firmware_updater", "RLF§7 irs f02" },
	{ 64, "Certifying Yonkers", NULL, "firmware_updater", "RLF§7 irs" },
	{ 65, "Updating Rose", "update_rose", "firmware_updater", "RLF§7 irs" },
	{ 66, "Updating Veridian", NULL, "firmware_updater", "RLF§7 irs" },
	{ 67, "Creating Protected Volume", "create_protected_filesystems", "storage", "RLF§7 irs #779" },
	{ 74, "Requesting EAN Data", NULL, "storage", "RLF§7 irs" },
	{ 77, "Sealing System Volume", NULL, "filesystem", "RLF§7 irs" },
};

/* idevicerestore's StatusMsg table (RLF§9.1, irs). */
static const struct bt_status_info statuses[] = {
	{ 0, "Restore Finished", "none", "success", "RLF§9.1 irs f01 f02" },
	{ 6, "Disk Failure", "unknown", "wording only: f13 was fdr_create, storage fine", "RLF§9.1 irs f13" },
	{ 14, "Fail", "unknown", "generic", "RLF§9.1 irs f03" },
	{ 27, "Failed to mount filesystems", "filesystem", "", "RLF§9.1 irs" },
	{ 50, "Failed to load SEP Firmware", "unknown", "SEP", "RLF§9.1 irs" },
	{ 51, "Failed to load SEP Firmware", "unknown", "SEP (second code with the same text)", "RLF§9.1 irs" },
	{ 53, "Failed to recover FDR data", "fdr", "host proxy/network in every corpus case", "RLF§9.1 irs f16" },
	{ 1015, "X-Gold Baseband Update Failed. Defective Unit?", "baseband", "old Infineon modems", "RLF§9.1 irs FK[S100]" },
	{ -1, "Verification Error", "unknown", "seen after BasebandData and FirmwareUpdater data", "RLF§9.1 irs f11 #202" },
};

/* Numbers iTunes / Finder / Configurator show (FK §1.3). Codes with no sourced meaning say so. */
static const struct bt_host_error_info host_errors[] = {
	{ 9, "device dropped off USB mid-restore (Apple's 9/4005/4013/4014 family); seen with idevicerestore losing the device at NORData / NAND firmware", "both", "usb", "well", "FK[S49][S42] RLF§5 f05 f29 f30" },
	{ 14, "listed with 9/40/4013 as typical of failing NAND by one shop; idevicerestore Status 14 = generic Fail", "both", "storage", "single", "FK[S48][S8]" },
	{ 40, "one shop: the NAND flash chip failed", "hardware", "storage", "single", "FK[S48]" },
	{ 53, "Touch ID sensor pairing check failed (non-original Touch ID part)", "hardware", "unknown", "well", "FK[S38][S39]" },
	{ 56, "NFC chip fault (iPhone 6s/7)", "hardware", "secure_element", "single", "FK[S40]" },
	{ 1002, "baseband stopped answering during baseband update (AMR error)", "hardware", "baseband", "single", "FK[S36]" },
	{ 1011, "baseband / firmware mismatch (legacy)", "hardware", "baseband", "single", "FK[S99]" },
	{ 1013, "connection to gs.apple.com blocked, redirected or interrupted", "host", "host", "well", "FK[S37]" },
	{ 1015, "baseband could not be updated/downgraded", "hardware", "baseband", "well", "FK[S100][S8]" },
	{ 1413, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 3194, "TSS refused to sign: device isn't eligible for the requested build", "host", "host", "well", "FK[S34]" },
	{ 4005, "device dropped off USB mid-restore (Apple's 9/4005/4013/4014 family)", "both", "usb", "well", "FK[S49]" },
	{ 4013, "device disconnected unexpectedly; on Face ID iPhones often the earpiece flex shorting I2C; NAND and baseband can also cause it", "both", "usb", "well", "FK[S42][S43][S44]" },
	{ 4014, "device disconnected / did not come back during the recovery-to-restore hand-over", "both", "usb", "single", "FK[S49][S88][S89]" },
	{ 4042, "gave up waiting for the device to transition from DFU (Configurator, Mac)", "both", "usb", "single", "f35" },
	{ 1, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 6, "no sourced meaning as a host code (status 6 is Disk Failure wording)", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 10, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 11, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 21, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 1109, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 1110, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 1667, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 1669, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 2009, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 3014, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ 4000, "no sourced meaning", "unknown", "unknown", "none", "FK§1.3 (not found)" },
	{ -1, "generic failure (Finder AMRestorePerformRestoreModeRestoreWithError, 3uTools iDevice(-1))", "unknown", "unknown", "none", "RLF§9.3 #707" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- lookups -------------------------------------------------------------------------
 *
 * The scanner looks steps and operations up on most restore lines, so the tables are indexed
 * once (pthread_once: the tables are shared by every scanner and thread): ids and op numbers
 * directly, names and texts by a hash of their lower-case bytes. Lookups answer exactly what
 * a walk over the rows in order would: the first row that matches. */

static inline char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

#define HBITS 9
#define HSIZE (1u << HBITS) /* slots per hash table: several times the rows */

static uint32_t hash_ci(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)lower(s[i])) * 16777619u;
	return h ^ (uint32_t)n;
}

/* Slots hold row + 1 (0 = empty). Names: row * 2 + (alias ? 1 : 0), plus 1. */
static uint16_t by_id_slot[HSIZE];
static uint16_t by_name_slot[HSIZE];
static uint16_t op_text_slot[HSIZE];
static uint8_t op_by_number[256]; /* row + 1 */
static uint8_t name_len[N(steps)], alias_len[N(steps)], op_text_len[N(ops)];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void slot_put(uint16_t *tab, uint32_t h, uint16_t v)
{
	uint32_t i = h & (HSIZE - 1);
	while (tab[i])
		i = (i + 1) & (HSIZE - 1);
	tab[i] = v;
}

static size_t len_cap(const char *s)
{
	size_t k = s ? strlen(s) : 0;
	return k > 255 ? 255 : k; /* longer names are never looked up (callers cap at 64) */
}

static void build_index(void)
{
	for (size_t i = 0; i < N(steps); i++) {
		name_len[i] = (uint8_t)len_cap(steps[i].name);
		alias_len[i] = (uint8_t)len_cap(steps[i].alias);
		if (steps[i].id >= 0)
			slot_put(by_id_slot, (uint32_t)steps[i].id * 2654435761u >> (32 - HBITS),
				 (uint16_t)(i + 1));
		if (steps[i].name)
			slot_put(by_name_slot, hash_ci(steps[i].name, name_len[i]), (uint16_t)(i * 2 + 1));
		if (steps[i].alias)
			slot_put(by_name_slot, hash_ci(steps[i].alias, alias_len[i]), (uint16_t)(i * 2 + 2));
	}
	for (size_t i = 0; i < N(ops); i++) {
		op_text_len[i] = (uint8_t)len_cap(ops[i].text);
		if (ops[i].op >= 0 && ops[i].op < 256 && !op_by_number[ops[i].op])
			op_by_number[ops[i].op] = (uint8_t)(i + 1);
		if (ops[i].text)
			slot_put(op_text_slot, hash_ci(ops[i].text, op_text_len[i]), (uint16_t)(i + 1));
	}
}

static atomic_bool index_ready;

static void build_index_once(void)
{
	build_index();
	atomic_store_explicit(&index_ready, true, memory_order_release);
}

static inline void need_index(void)
{
	/* one load once built; pthread_once orders the first build between threads */
	if (!atomic_load_explicit(&index_ready, memory_order_acquire))
		pthread_once(&index_once, build_index_once);
}

/* ASCII case-insensitive equality of a[0..n) and b[0..n). */
static int eq_ci(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

const struct bt_step_info *bt_steps_by_id(int id)
{
	if (id < 0)
		return NULL;
	if (id > 0xFFFF)
		id &= 0xFFFF; /* NVRAM map keys: 0x1107067B -> 0x067B */
	need_index();
	for (uint32_t i = (uint32_t)id * 2654435761u >> (32 - HBITS);; i = (i + 1) & (HSIZE - 1)) {
		unsigned v = by_id_slot[i];
		if (!v)
			return NULL;
		if (steps[v - 1].id == id)
			return &steps[v - 1];
	}
}

const struct bt_step_info *bt_steps_by_name_n(const char *name, size_t n)
{
	if (!name || n == 0 || n > 255)
		return NULL;
	need_index();
	/* every row whose name or alias matches: the first row wins, as in a walk */
	size_t best = N(steps);
	for (uint32_t i = hash_ci(name, n) & (HSIZE - 1);; i = (i + 1) & (HSIZE - 1)) {
		unsigned v = by_name_slot[i];
		if (!v)
			break;
		size_t row = (v - 1) / 2;
		const char *t = (v - 1) % 2 ? steps[row].alias : steps[row].name;
		size_t tn = (v - 1) % 2 ? alias_len[row] : name_len[row];
		if (row < best && tn == n && eq_ci(name, t, n))
			best = row;
	}
	return best < N(steps) ? &steps[best] : NULL;
}

size_t bt_ls_step_name_len(const struct bt_step_info *si)
{
	need_index();
	size_t i = (size_t)(si - steps);
	return i < N(steps) && name_len[i] < 255 ? name_len[i] : strlen(si->name);
}

size_t bt_ls_op_text_len(const struct bt_op_info *oi)
{
	need_index();
	size_t i = (size_t)(oi - ops);
	return i < N(ops) && op_text_len[i] < 255 ? op_text_len[i] : strlen(oi->text);
}

const struct bt_step_info *bt_steps_by_name(const char *name)
{
	return name ? bt_steps_by_name_n(name, strlen(name)) : NULL;
}

static const char *find_n(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	if (k == 0 || k > n)
		return NULL;
	const char *end = hay + n - k + 1;
	for (const char *p = hay; p < end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (!p)
			return NULL;
		if (memcmp(p, needle, k) == 0)
			return p;
	}
	return NULL;
}

const struct bt_step_info *bt_steps_by_text(const char *text, size_t n)
{
	if (!text)
		return NULL;
	/* "update_stockholm: ..." — a step name followed by a colon names the step itself. */
	size_t w = 0;
	while (w < n && w < 64 && (text[w] == '_' || (text[w] >= 'a' && text[w] <= 'z') ||
				   (text[w] >= 'A' && text[w] <= 'Z') || (text[w] >= '0' && text[w] <= '9')))
		w++;
	if (w > 0 && w < n && text[w] == ':') {
		const struct bt_step_info *s = bt_steps_by_name_n(text, w);
		if (s)
			return s;
	}
	for (size_t i = 0; i < N(texts); i++)
		if (find_n(text, n, texts[i].text))
			return bt_steps_by_name(texts[i].step);
	return NULL;
}

const char *bt_steps_subsystem(const char *name)
{
	const struct bt_step_info *s = bt_steps_by_name(name);
	return s ? s->subsystem : "unknown";
}

size_t bt_steps_count(void) { return N(steps); }
const struct bt_step_info *bt_steps_at(size_t i) { return i < N(steps) ? &steps[i] : NULL; }

const struct bt_op_info *bt_ops_by_number(int op)
{
	if (op < 0 || op > 255)
		return NULL;
	need_index();
	unsigned v = op_by_number[op];
	return v ? &ops[v - 1] : NULL;
}

/* 3uTools' own words for some operations (it prints names without numbers). */
static const struct { const char *text; int op; const char *source; } op_aliases[] = {
	{ "Checking logs", 44, "futurerestore#390 (3uTools flash log, LibVersion 20231009)" },
	{ "Unmounting Filesystem", 29, "futurerestore#390 (3uTools flash log, LibVersion 20231009)" },
};

const struct bt_op_info *bt_ops_by_text(const char *text, size_t n)
{
	if (!text || n < 8 || n > 40) /* shortest and longest texts of the table */
		return NULL;
	need_index();
	size_t best = N(ops);
	for (uint32_t i = hash_ci(text, n) & (HSIZE - 1);; i = (i + 1) & (HSIZE - 1)) {
		unsigned v = op_text_slot[i];
		if (!v)
			break;
		if (v - 1 < best && op_text_len[v - 1] == n && eq_ci(text, ops[v - 1].text, n))
			best = v - 1;
	}
	if (best < N(ops))
		return &ops[best];
	for (size_t i = 0; i < N(op_aliases); i++) /* only when the table has no such text */
		if (strlen(op_aliases[i].text) == n && strncasecmp(text, op_aliases[i].text, n) == 0)
			return bt_ops_by_number(op_aliases[i].op);
	return NULL;
}

size_t bt_ops_count(void) { return N(ops); }
const struct bt_op_info *bt_ops_at(size_t i) { return i < N(ops) ? &ops[i] : NULL; }

const struct bt_status_info *bt_status_by_text(const char *text, size_t n)
{
	if (!text)
		return NULL;
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < N(statuses); i++) {
		const char *t = statuses[i].text;
		size_t k = strlen(t);
		if ((n == k || (n == k + 1 && text[k] == '.')) && strncasecmp(text, t, k) == 0)
			return &statuses[i];
	}
	return NULL;
}

const struct bt_status_info *bt_status_by_number(long status)
{
	for (size_t i = 0; i < N(statuses); i++)
		if (statuses[i].status == status)
			return &statuses[i];
	return NULL;
}

size_t bt_status_count(void) { return N(statuses); }
const struct bt_status_info *bt_status_at(size_t i) { return i < N(statuses) ? &statuses[i] : NULL; }

const struct bt_host_error_info *bt_host_error_info(long code)
{
	for (size_t i = 0; i < N(host_errors); i++)
		if (host_errors[i].code == code)
			return &host_errors[i];
	return NULL;
}

size_t bt_host_error_count(void) { return N(host_errors); }
const struct bt_host_error_info *bt_host_error_at(size_t i)
{
	return i < N(host_errors) ? &host_errors[i] : NULL;
}
