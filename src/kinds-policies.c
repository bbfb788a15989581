/* kinds-policies.c — the policy items of a policy group as the API Reference documents
 * them: 4.14.7's request body (Policies, Table 4-1804) and every table below it, 13 groups
 * of 61 objects in all holding 271 items (Boolean, String or Integer). This is what
 * policy-groups/<name>/policies.json takes, checked field by field before the PUT is sent.
 * Made from shared/api/catalog.json: every field of every table, in the catalog's order and
 * spelling. A field the API answers with but does not document in the request (4.14.4's
 * "usb_device_commom", a misspelling of the documented "usb_device_common") is refused.
 * The same Policies object is a policy group's create body's `policies` (4.14.2,
 * src/kinds-create2.c), whose tables spell four items otherwise (video_compress_enable,
 * remove_smartcard_disconnect_enable, pcsc_smartcard_enable, sc_type_harmony_os): both
 * spellings are taken, since the API Reference gives both.
 * Must not: hold code; this is data for src/create.c's body check.
 */
#include "src/kinds.h"

/* options (Table 4-1807) */
static const ResBodyField t1807_options[] = {
	{ "usb_image_enable", BODY_BOOLEAN },
	{ "usb_video_enable", BODY_BOOLEAN },
	{ "usb_printer_enable", BODY_BOOLEAN },
	{ "usb_storage_enable", BODY_BOOLEAN },
	{ "wireless_devices_enable", BODY_BOOLEAN },
	{ "network_devices_enable", BODY_BOOLEAN },
	{ "usb_smart_card_enable", BODY_BOOLEAN },
	{ "other_usb_devices_enable", BODY_BOOLEAN },
	{ "usb_redirection_customization_policy", BODY_STRING },
	{ "usb_redirection_mode", BODY_STRING },
	{ NULL },
};

/* usb_port_redirection (Table 4-1806) */
static const ResBodyField t1806_usb_port_redirection[] = {
	{ "usb_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1807_options },
	{ NULL },
};

/* options (Table 4-1810) */
static const ResBodyField t1810_options[] = {
	{ "mobile_printer_enable", BODY_BOOLEAN },
	{ "print_data_compression_mode", BODY_BOOLEAN },
	{ "sync_client_default_printer_enable", BODY_BOOLEAN },
	{ "universal_printer_driver", BODY_STRING },
	{ NULL },
};

/* printer_redirection (Table 4-1809) */
static const ResBodyField t1809_printer_redirection[] = {
	{ "printer_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1810_options },
	{ NULL },
};

/* options (Table 4-1812) */
static const ResBodyField t1812_options[] = {
	{ "session_printer_customization_policy", BODY_STRING },
	{ NULL },
};

/* session_printer (Table 4-1811) */
static const ResBodyField t1811_session_printer[] = {
	{ "session_printer_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1812_options },
	{ NULL },
};

/* options (Table 4-1814) */
static const ResBodyField t1814_options[] = {
	{ "camera_frame_rate", BODY_INTEGER },
	{ "camera_max_width", BODY_INTEGER },
	{ "camera_max_height", BODY_INTEGER },
	{ "camera_compression_method", BODY_STRING },
	{ NULL },
};

/* camera_redirection (Table 4-1813) */
static const ResBodyField t1813_camera_redirection[] = {
	{ "video_compression_enable", BODY_BOOLEAN },
	{ "video_compress_enable", BODY_BOOLEAN },	/* 4.14.2's spelling */
	{ "options", BODY_OBJECT, .fields = t1814_options },
	{ NULL },
};

/* options (Table 4-1816) */
static const ResBodyField t1816_options[] = {
	{ "hid_redirection_customization_policy", BODY_STRING },
	{ NULL },
};

/* hid_redirection (Table 4-1815) */
static const ResBodyField t1815_hid_redirection[] = {
	{ "hid_redirection_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1816_options },
	{ NULL },
};

/* device_redirection (Table 4-1808) */
static const ResBodyField t1808_device_redirection[] = {
	{ "printer_redirection", BODY_OBJECT, .fields = t1809_printer_redirection },
	{ "session_printer", BODY_OBJECT, .fields = t1811_session_printer },
	{ "camera_redirection", BODY_OBJECT, .fields = t1813_camera_redirection },
	{ "twain_redirection_enable", BODY_BOOLEAN },
	{ "image_compression_level", BODY_STRING },
	{ "hid_redirection", BODY_OBJECT, .fields = t1815_hid_redirection },
	{ NULL },
};

/* common_options (Table 4-1818) */
static const ResBodyField t1818_common_options[] = {
	{ "remove_smart_card_disconnect_enable", BODY_BOOLEAN },
	{ "remove_smartcard_disconnect_enable", BODY_BOOLEAN },	/* 4.14.2's spelling */
	{ NULL },
};

/* usb_device_common (Table 4-1817) */
static const ResBodyField t1817_usb_device_common[] = {
	{ "pcsc_smart_card_enable", BODY_STRING },
	{ "pcsc_smartcard_enable", BODY_STRING },	/* 4.14.2's spelling */
	{ "common_options", BODY_OBJECT, .fields = t1818_common_options },
	{ NULL },
};

/* options (Table 4-1820) */
static const ResBodyField t1820_options[] = {
	{ "auto_connect_enable", BODY_BOOLEAN },
	{ NULL },
};

/* serial_port_redirection (Table 4-1819) */
static const ResBodyField t1819_serial_port_redirection[] = {
	{ "serial_port_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1820_options },
	{ NULL },
};

/* parallel_port_redirection (Table 4-1821) */
static const ResBodyField t1821_parallel_port_redirection[] = {
	{ "parallel_port_enable", BODY_BOOLEAN },
	{ NULL },
};

/* driver_interface_redirection (Table 4-1822) */
static const ResBodyField t1822_driver_interface_redirection[] = {
	{ "api_redir_driver_list", BODY_STRING },
	{ NULL },
};

/* peripherals (Table 4-1805) */
static const ResBodyField t1805_peripherals[] = {
	{ "usb_custom_policy_debug", BODY_STRING },
	{ "usb_port_redirection", BODY_OBJECT, .fields = t1806_usb_port_redirection },
	{ "device_redirection", BODY_OBJECT, .fields = t1808_device_redirection },
	{ "usb_device_common", BODY_OBJECT, .fields = t1817_usb_device_common },
	{ "serial_port_redirection", BODY_OBJECT, .fields = t1819_serial_port_redirection },
	{ "parallel_port_redirection", BODY_OBJECT, .fields = t1821_parallel_port_redirection },
	{ "driver_interface_redirection", BODY_OBJECT,
	  .fields = t1822_driver_interface_redirection },
	{ NULL },
};

/* audio (Table 4-1823) */
static const ResBodyField t1823_audio[] = {
	{ "audio_redirection_enable", BODY_BOOLEAN },
	{ "play_volume", BODY_STRING },
	{ "play_volume_ratio", BODY_STRING },
	{ "record_volume", BODY_STRING },
	{ "record_volume_ratio", BODY_STRING },
	{ "audio_transmission_mode", BODY_STRING },
	{ "play_redirection_enable", BODY_BOOLEAN },
	{ "play_classification", BODY_STRING },
	{ "play_quality", BODY_STRING },
	{ "play_denoising", BODY_STRING },
	{ "play_agc", BODY_STRING },
	{ "play_crc", BODY_STRING },
	{ "play_device_mode", BODY_STRING },
	{ "play_delay_threshold", BODY_STRING },
	{ "play_amplitude_threshold", BODY_STRING },
	{ "play_prefill_data", BODY_STRING },
	{ "record_redirection_enable", BODY_BOOLEAN },
	{ "record_classification", BODY_STRING },
	{ "record_quality", BODY_STRING },
	{ "record_denoising", BODY_STRING },
	{ "record_agc", BODY_STRING },
	{ "record_crc", BODY_STRING },
	{ "record_device_mode", BODY_STRING },
	{ "record_delay_threshold", BODY_STRING },
	{ "record_amplitude_threshold", BODY_STRING },
	{ NULL },
};

/* autoclose_monitor_options (Table 4-1825) */
static const ResBodyField t1825_autoclose_monitor_options[] = {
	{ "autoclose_monitor_wait_time", BODY_INTEGER },
	{ NULL },
};

/* options (Table 4-1827) */
static const ResBodyField t1827_options[] = {
	{ "sc_type_window", BODY_BOOLEAN },
	{ "sc_type_mac", BODY_BOOLEAN },
	{ "sc_type_android", BODY_BOOLEAN },
	{ "sc_type_linux", BODY_BOOLEAN },
	{ "sc_type_h5", BODY_BOOLEAN },
	{ "sc_type_ios", BODY_BOOLEAN },
	{ "sc_type_harmonyos", BODY_BOOLEAN },
	{ "sc_type_harmony_os", BODY_BOOLEAN },	/* 4.14.2's spelling */
	{ "tc_type_all", BODY_BOOLEAN },
	{ NULL },
};

/* client_type (Table 4-1826) */
static const ResBodyField t1826_client_type[] = {
	{ "client_type_limit", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1827_options },
	{ NULL },
};

/* client (Table 4-1824) */
static const ResBodyField t1824_client[] = {
	{ "automatic_reconnection_interval", BODY_INTEGER },
	{ "session_persistence_time", BODY_INTEGER },
	{ "autoclose_monitor_after_locked", BODY_BOOLEAN },
	{ "autoclose_monitor_options", BODY_OBJECT, .fields = t1825_autoclose_monitor_options },
	{ "forbid_screen_capture", BODY_BOOLEAN },
	{ "client_machine_join_domain", BODY_BOOLEAN },
	{ "client_type", BODY_OBJECT, .fields = t1826_client_type },
	{ NULL },
};

/* deep_compression_options (Table 4-1830) */
static const ResBodyField t1830_deep_compression_options[] = {
	{ "deep_compression_level", BODY_STRING },
	{ NULL },
};

/* video_bit_rate_options (Table 4-1831) */
static const ResBodyField t1831_video_bit_rate_options[] = {
	{ "average_video_bit_rate", BODY_INTEGER },
	{ NULL },
};

/* video_quality_options (Table 4-1832) */
static const ResBodyField t1832_video_quality_options[] = {
	{ "average_video_quality", BODY_INTEGER },
	{ "lowest_video_quality", BODY_INTEGER },
	{ "highest_video_quality", BODY_INTEGER },
	{ NULL },
};

/* options (Table 4-1829) */
static const ResBodyField t1829_options[] = {
	{ "display_bandwidth", BODY_INTEGER },
	{ "frame_rate", BODY_INTEGER },
	{ "video_frame_rate", BODY_INTEGER },
	{ "min_image_cache", BODY_INTEGER },
	{ "smoothing_factor", BODY_INTEGER },
	{ "lossless_compression_mode", BODY_STRING },
	{ "deep_compression_options", BODY_OBJECT, .fields = t1830_deep_compression_options },
	{ "lossy_compression_quality", BODY_INTEGER },
	{ "color_enhancement_enable", BODY_BOOLEAN },
	{ "quality_bandwidth_first", BODY_STRING },
	{ "video_bit_rate_options", BODY_OBJECT, .fields = t1831_video_bit_rate_options },
	{ "peak_video_bit_rate", BODY_INTEGER },
	{ "video_quality_options", BODY_OBJECT, .fields = t1832_video_quality_options },
	{ "gop_size", BODY_INTEGER },
	{ "encoding_preset", BODY_STRING },
	{ NULL },
};

/* rendering_acceleration_options (Table 4-1833) */
static const ResBodyField t1833_rendering_acceleration_options[] = {
	{ "video_acceleration_enhancement_enable", BODY_BOOLEAN },
	{ "video_optimization_enable", BODY_BOOLEAN },
	{ "gpu_color_optimization_enable", BODY_BOOLEAN },
	{ "video_recognition_threshold", BODY_INTEGER },
	{ "frame_rate_statistical_length", BODY_INTEGER },
	{ "image_quality_threshold", BODY_INTEGER },
	{ "refresh_frequency_threshold", BODY_INTEGER },
	{ "exiting_video_area_threshold", BODY_INTEGER },
	{ "min_video_width", BODY_INTEGER },
	{ "min_video_length", BODY_INTEGER },
	{ "single_frame_natural_percentage", BODY_STRING },
	{ "cyclical_natural_images_number", BODY_INTEGER },
	{ "non_natural_image_percentage", BODY_STRING },
	{ "non_natural_images_number", BODY_INTEGER },
	{ NULL },
};

/* adaptive_bitrate_control_options (Table 4-1834) */
static const ResBodyField t1834_adaptive_bitrate_control_options[] = {
	{ "peak_bandwidth_suppression_enable", BODY_BOOLEAN },
	{ "expected_average_network_latency", BODY_INTEGER },
	{ "network_latency_threshold1", BODY_INTEGER },
	{ "network_latency_threshold2", BODY_INTEGER },
	{ "min_dynamic_frame_rate", BODY_INTEGER },
	{ "min_dynamic_frame_rate_lv1", BODY_INTEGER },
	{ "min_dynamic_frame_rate_lv2", BODY_INTEGER },
	{ "rtt_threshold", BODY_INTEGER },
	{ "min_add_framerate", BODY_INTEGER },
	{ "max_add_framerate", BODY_INTEGER },
	{ "sub_framerate", BODY_INTEGER },
	{ "adaptive_bandwidth_lower_limit", BODY_INTEGER },
	{ "adaptive_compression_quality_lower_limit", BODY_INTEGER },
	{ "adaptive_compression_quality_upper_limit", BODY_INTEGER },
	{ "adaptive_compression_quality_increase_limit", BODY_INTEGER },
	{ "adaptive_compression_quality_decrease_limit", BODY_INTEGER },
	{ "adaptive_average_quality_lower_limit", BODY_INTEGER },
	{ "adaptive_average_quality_upper_limit", BODY_INTEGER },
	{ "adaptive_average_quality_increase_limit", BODY_INTEGER },
	{ "adaptive_average_quality_decrease_limit", BODY_INTEGER },
	{ "adaptive_minimum_quality_lower_limit", BODY_INTEGER },
	{ "adaptive_minimum_quality_upper_limit", BODY_INTEGER },
	{ "adaptive_minimum_quality_increase_limit", BODY_INTEGER },
	{ "adaptive_minimum_quality_decrease_limit", BODY_INTEGER },
	{ NULL },
};

/* display (Table 4-1828) */
static const ResBodyField t1828_display[] = {
	{ "display_level", BODY_STRING },
	{ "options", BODY_OBJECT, .fields = t1829_options },
	{ "rendering_acceleration_enable", BODY_BOOLEAN },
	{ "rendering_acceleration_options", BODY_OBJECT,
	  .fields = t1833_rendering_acceleration_options },
	{ "adaptive_bitrate_control_enable", BODY_BOOLEAN },
	{ "adaptive_bitrate_control_options", BODY_OBJECT,
	  .fields = t1834_adaptive_bitrate_control_options },
	{ "video_card_memory_size", BODY_INTEGER },
	{ "configuration_1_enable", BODY_BOOLEAN },
	{ "driver_delegation_mode_enable", BODY_BOOLEAN },
	{ "driver_delegation_latency", BODY_INTEGER },
	{ "video_latency", BODY_INTEGER },
	{ "change_resolution_vm", BODY_BOOLEAN },
	{ "application_recognition", BODY_STRING },
	{ "duplicate_display_enable", BODY_BOOLEAN },
	{ "default_mapping_order", BODY_STRING },
	{ "duplicate_display_mode", BODY_STRING },
	{ NULL },
};

/* fluid_control_options (Table 4-1838) */
static const ResBodyField t1838_fluid_control_options[] = {
	{ "good_network_latency", BODY_INTEGER },
	{ "normal_network_latency", BODY_INTEGER },
	{ "poor_network_latency", BODY_INTEGER },
	{ "reducing_step", BODY_INTEGER },
	{ "slow_increasing_step", BODY_INTEGER },
	{ "quick_increasing_step", BODY_INTEGER },
	{ "start_speed", BODY_INTEGER },
	{ "test_block_size", BODY_INTEGER },
	{ "test_time_gap", BODY_INTEGER },
	{ NULL },
};

/* compression_switch_options (Table 4-1839) */
static const ResBodyField t1839_compression_switch_options[] = {
	{ "compression_threshold", BODY_INTEGER },
	{ "minimum_compression_rate", BODY_INTEGER },
	{ NULL },
};

/* linux_file_size_supported_options (Table 4-1840) */
static const ResBodyField t1840_linux_file_size_supported_options[] = {
	{ "linux_file_size_supported_threshold", BODY_INTEGER },
	{ NULL },
};

/* options (Table 4-1837) */
static const ResBodyField t1837_options[] = {
	{ "fluid_control_switch_enable", BODY_BOOLEAN },
	{ "fluid_control_options", BODY_OBJECT, .fields = t1838_fluid_control_options },
	{ "compression_switch_enable", BODY_BOOLEAN },
	{ "compression_switch_options", BODY_OBJECT, .fields = t1839_compression_switch_options },
	{ "linux_file_size_supported_enable", BODY_BOOLEAN },
	{ "linux_file_size_supported_options", BODY_OBJECT,
	  .fields = t1840_linux_file_size_supported_options },
	{ "linux_root_mount_switch_enable", BODY_BOOLEAN },
	{ "linux_root_dir_list", BODY_STRING },
	{ "linux_file_mount_path", BODY_STRING },
	{ "linux_fixed_drive_file_system_format", BODY_STRING },
	{ "linux_removable_drive_file_system_format", BODY_STRING },
	{ "linux_cdrom_drive_file_system_format", BODY_STRING },
	{ "linux_network_drive_file_system_format", BODY_STRING },
	{ "path_separator", BODY_STRING },
	{ "fixed_drive_enable", BODY_BOOLEAN },
	{ "removable_drive_enable", BODY_BOOLEAN },
	{ "cd_rom_drive_enable", BODY_BOOLEAN },
	{ "network_drive_enable", BODY_BOOLEAN },
	{ NULL },
};

/* redirection_send_file_options (Table 4-1841) */
static const ResBodyField t1841_redirection_send_file_options[] = {
	{ "read_write_speed", BODY_INTEGER },
	{ NULL },
};

/* file_redirection (Table 4-1836) */
static const ResBodyField t1836_file_redirection[] = {
	{ "redirection_mode", BODY_STRING },
	{ "options", BODY_OBJECT, .fields = t1837_options },
	{ "vm_send_file_client", BODY_BOOLEAN },
	{ "redirection_send_file_options", BODY_OBJECT,
	  .fields = t1841_redirection_send_file_options },
	{ NULL },
};

/* clipboard_redirection_options (Table 4-1842) */
static const ResBodyField t1842_clipboard_redirection_options[] = {
	{ "rich_text_redirection_enable", BODY_BOOLEAN },
	{ "clipboard_file_redirection_enable", BODY_BOOLEAN },
	{ NULL },
};

/* file_and_clipboard (Table 4-1835) */
static const ResBodyField t1835_file_and_clipboard[] = {
	{ "file_redirection", BODY_OBJECT, .fields = t1836_file_redirection },
	{ "clip_length_limit_flag_c2s", BODY_BOOLEAN },
	{ "clip_length_limit_c2s", BODY_INTEGER },
	{ "clip_length_limit_flag_s2c", BODY_BOOLEAN },
	{ "clip_length_limit_s2c", BODY_INTEGER },
	{ "fd_mobile_client_redirection_enable", BODY_BOOLEAN },
	{ "clipboard_redirection", BODY_STRING },
	{ "clipboard_redirection_options", BODY_OBJECT,
	  .fields = t1842_clipboard_redirection_options },
	{ NULL },
};

/* AutoDisconnectOrLogoutControlOptions (Table 4-1846) */
static const ResBodyField t1846_autodisconnectorlogoutcontroloptions[] = {
	{ "auto_disconnect_minutes", BODY_INTEGER },
	{ NULL },
};

/* AutoLockOptions (Table 4-1845) */
static const ResBodyField t1845_autolockoptions[] = {
	{ "auto_lock_minutes", BODY_INTEGER },
	{ "auto_disconnect", BODY_STRING },
	{ "options", BODY_OBJECT, .fields = t1846_autodisconnectorlogoutcontroloptions },
	{ NULL },
};

/* DisconnectLogoutOptions (Table 4-1847) */
static const ResBodyField t1847_disconnectlogoutoptions[] = {
	{ "disconnect_logout_minutes", BODY_INTEGER },
	{ NULL },
};

/* disconnect_hibernate_options (Table 4-1848) */
static const ResBodyField t1848_disconnect_hibernate_options[] = {
	{ "disconnect_hibernate_minutes", BODY_INTEGER },
	{ NULL },
};

/* no_operation_hibernate_options (Table 4-1849) */
static const ResBodyField t1849_no_operation_hibernate_options[] = {
	{ "no_operation_hibernate_minutes", BODY_INTEGER },
	{ NULL },
};

/* Vdi (Table 4-1844) */
static const ResBodyField t1844_vdi[] = {
	{ "auto_lock_enable", BODY_BOOLEAN },
	{ "auto_lock_options", BODY_OBJECT, .fields = t1845_autolockoptions },
	{ "disconnect_logout_enable", BODY_INTEGER },
	{ "disconnect_logout_options", BODY_OBJECT, .fields = t1847_disconnectlogoutoptions },
	{ "disconnect_hibernate_enable", BODY_BOOLEAN },
	{ "disconnect_hibernate_options", BODY_OBJECT,
	  .fields = t1848_disconnect_hibernate_options },
	{ "no_operation_hibernate_enable", BODY_BOOLEAN },
	{ "no_operation_hibernate_options", BODY_OBJECT,
	  .fields = t1849_no_operation_hibernate_options },
	{ NULL },
};

/* Session (Table 4-1843) */
static const ResBodyField t1843_session[] = {
	{ "vdi", BODY_OBJECT, .fields = t1844_vdi },
	{ "self_help_console", BODY_BOOLEAN },
	{ "disconnect_on_lock_flag", BODY_BOOLEAN },
	{ "auto_lock_start_time", BODY_STRING },
	{ "auto_lock_end_time", BODY_STRING },
	{ NULL },
};

/* VirtualChannelOptions (Table 4-1851) */
static const ResBodyField t1851_virtualchanneloptions[] = {
	{ "custom_virtual_channel_name", BODY_STRING },
	{ "virtual_channel_plugin_details", BODY_STRING },
	{ "third_party_plugin_name", BODY_STRING },
	{ NULL },
};

/* VirtualChannel (Table 4-1850) */
static const ResBodyField t1850_virtualchannel[] = {
	{ "virtual_channel_control_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1851_virtualchanneloptions },
	{ NULL },
};

/* WatermarkOptions (Table 4-1853) */
static const ResBodyField t1853_watermarkoptions[] = {
	{ "show_style", BODY_STRING },
	{ "color", BODY_STRING },
	{ "font_size", BODY_INTEGER },
	{ "opacity_setting", BODY_STRING },
	{ "content_item_count", BODY_INTEGER },
	{ "display_format", BODY_STRING },
	{ "lean", BODY_INTEGER },
	{ "content_customized", BODY_STRING },
	{ "content_color", BODY_STRING },
	{ "watermark_security_access", BODY_BOOLEAN },
	{ "user_extend_info_switch", BODY_BOOLEAN },
	{ "user_extend_info", BODY_STRING },
	{ NULL },
};

/* Watermark (Table 4-1852) */
static const ResBodyField t1852_watermark[] = {
	{ "watermark_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1853_watermarkoptions },
	{ NULL },
};

/* keyboard_mouse (Table 4-1854) */
static const ResBodyField t1854_keyboard_mouse[] = {
	{ "mouse_feedback", BODY_STRING },
	{ "mouse_simulation_mode", BODY_STRING },
	{ "external_cursor_feedback", BODY_BOOLEAN },
	{ "selfhelp_console_enable", BODY_BOOLEAN },
	{ "client_mouse_send_interval", BODY_INTEGER },
	{ "windows_client_keyboard_mode", BODY_STRING },
	{ "windows_client_mouse_mode", BODY_STRING },
	{ "linux_client_keyboard_mode", BODY_STRING },
	{ "linux_client_mouse_mode", BODY_STRING },
	{ "special_keyboard", BODY_BOOLEAN },
	{ "joy_stick_flag", BODY_BOOLEAN },
	{ NULL },
};

/* options (Table 4-1856) */
static const ResBodyField t1856_options[] = {
	{ "seamless_apply_path", BODY_STRING },
	{ NULL },
};

/* seamless (Table 4-1855) */
static const ResBodyField t1855_seamless[] = {
	{ "seamless_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1856_options },
	{ NULL },
};

/* user_data_roaming_options (Table 4-1858) */
static const ResBodyField t1858_user_data_roaming_options[] = {
	{ "profile_streaming_enable", BODY_BOOLEAN },
	{ "roamed_files_local_path", BODY_STRING },
	{ "exclude_folders_path", BODY_STRING },
	{ "roaming_registry_method", BODY_STRING },
	{ "roaming_registry_path", BODY_STRING },
	{ NULL },
};

/* user_folder_redirection_options (Table 4-1859) */
static const ResBodyField t1859_user_folder_redirection_options[] = {
	{ "restore_local_directories_enable", BODY_BOOLEAN },
	{ "appData_roaming_enable", BODY_BOOLEAN },
	{ "redirec_desktop", BODY_BOOLEAN },
	{ "redirec_start_menu", BODY_BOOLEAN },
	{ "redirec_documents", BODY_BOOLEAN },
	{ "redirec_pictures", BODY_BOOLEAN },
	{ "redirec_music", BODY_BOOLEAN },
	{ "redirec_videos", BODY_BOOLEAN },
	{ "redirec_favorites", BODY_BOOLEAN },
	{ "redirec_contacts", BODY_BOOLEAN },
	{ "redirec_downloads", BODY_BOOLEAN },
	{ "redirec_links", BODY_BOOLEAN },
	{ "redirec_searches", BODY_BOOLEAN },
	{ "redirec_saved_games", BODY_BOOLEAN },
	{ NULL },
};

/* network_drive_mapping_options (Table 4-1860) */
static const ResBodyField t1860_network_drive_mapping_options[] = {
	{ "network_drive_mapping_path", BODY_STRING },
	{ "drive_letter", BODY_STRING },
	{ NULL },
};

/* personalized_data_mgmt (Table 4-1857) */
static const ResBodyField t1857_personalized_data_mgmt[] = {
	{ "personalized_data_mgmt_path", BODY_STRING },
	{ "user_data_roaming_enable", BODY_BOOLEAN },
	{ "user_data_roaming_options", BODY_OBJECT, .fields = t1858_user_data_roaming_options },
	{ "user_folder_redirection_enable", BODY_BOOLEAN },
	{ "user_folder_redirection_options", BODY_OBJECT,
	  .fields = t1859_user_folder_redirection_options },
	{ "logoff_delete_user_configuration", BODY_BOOLEAN },
	{ "network_drive_mapping_enable", BODY_BOOLEAN },
	{ "network_drive_mapping_options", BODY_OBJECT,
	  .fields = t1860_network_drive_mapping_options },
	{ NULL },
};

/* options (Table 4-1862) */
static const ResBodyField t1862_options[] = {
	{ "custom_configuration1_rule", BODY_STRING },
	{ NULL },
};

/* custom (Table 4-1861) */
static const ResBodyField t1861_custom[] = {
	{ "custom_configuration1_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = t1862_options },
	{ NULL },
};

/* RecordAuditRule (Table 4-1865) */
static const ResBodyField t1865_recordauditrule[] = {
	{ "record_type", BODY_STRING },
	{ "interval_record_start_time", BODY_STRING },
	{ "interval_record_end_time", BODY_STRING },
	{ "op_type", BODY_STRING },
	{ "audio_record", BODY_BOOLEAN },
	{ "fps", BODY_STRING },
	{ "duration", BODY_STRING },
	{ "resolution", BODY_STRING },
	{ "event_enable", BODY_BOOLEAN },
	{ "file_suffix", BODY_STRING },
	{ "regit_paths", BODY_STRING },
	{ "app_filter_type", BODY_STRING },
	{ "app_white_list", BODY_STRING },
	{ "app_black_list", BODY_STRING },
	{ NULL },
};

/* rules (Table 4-1864) */
static const ResBodyField t1864_rules[] = {
	{ "rule", BODY_OBJECT, .fields = t1865_recordauditrule },
	{ NULL },
};

/* record_audit (Table 4-1863) */
static const ResBodyField t1863_record_audit[] = {
	{ "enable", BODY_BOOLEAN },
	{ "rules", BODY_OBJECT, .fields = t1864_rules },
	{ "storage_type", BODY_STRING },
	{ "obs_bucket_source", BODY_STRING },
	{ "obs_bucket_name", BODY_STRING },
	{ "retention_duration", BODY_INTEGER },
	{ NULL },
};

/* Policies (Table 4-1804) */
const ResBodyField res_policies_body[] = {
	{ "peripherals", BODY_OBJECT, .fields = t1805_peripherals },
	{ "audio", BODY_OBJECT, .fields = t1823_audio },
	{ "client", BODY_OBJECT, .fields = t1824_client },
	{ "display", BODY_OBJECT, .fields = t1828_display },
	{ "file_and_clipboard", BODY_OBJECT, .fields = t1835_file_and_clipboard },
	{ "session", BODY_OBJECT, .fields = t1843_session },
	{ "virtual_channel", BODY_OBJECT, .fields = t1850_virtualchannel },
	{ "watermark", BODY_OBJECT, .fields = t1852_watermark },
	{ "keyboard_mouse", BODY_OBJECT, .fields = t1854_keyboard_mouse },
	{ "seamless", BODY_OBJECT, .fields = t1855_seamless },
	{ "personalized_data_mgmt", BODY_OBJECT, .fields = t1857_personalized_data_mgmt },
	{ "custom", BODY_OBJECT, .fields = t1861_custom },
	{ "record_audit", BODY_OBJECT, .fields = t1863_record_audit },
	{ NULL },
};
