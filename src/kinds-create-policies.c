/* kinds-create-policies.c — the Policies object of a policy group's body (4.14.2: the
 * PolicyGroupForCreate's `policies`, catalog.json's objects of 4.14.2) as ResBodyField data:
 * every documented field at every level with its type, none of them mandatory. A policy
 * group's create (kinds-create2.c) checks `policies` against it, so a misspelt policy is
 * refused before anything is sent instead of being ignored by the API. Transcribed from the
 * catalog in its order; each table is named after its object ("options (Table 4-1503)":
 * options_4_1503, "AutoLockOptions": auto_lock_options).
 * Must not: hold code.
 */
#include "src/kinds.h"

static const ResBodyField options_4_1503[] = {
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

static const ResBodyField usb_port_redirection[] = {
	{ "usb_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = options_4_1503 },
	{ NULL },
};

static const ResBodyField options_4_1506[] = {
	{ "mobile_printer_enable", BODY_BOOLEAN },
	{ "print_data_compression_mode", BODY_BOOLEAN },
	{ "sync_client_default_printer_enable", BODY_BOOLEAN },
	{ "universal_printer_driver", BODY_STRING },
	{ NULL },
};

static const ResBodyField printer_redirection[] = {
	{ "printer_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = options_4_1506 },
	{ NULL },
};

static const ResBodyField options_4_1508[] = {
	{ "session_printer_customization_policy", BODY_STRING },
	{ NULL },
};

static const ResBodyField session_printer[] = {
	{ "session_printer_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = options_4_1508 },
	{ NULL },
};

static const ResBodyField options_4_1510[] = {
	{ "camera_frame_rate", BODY_INTEGER },
	{ "camera_max_width", BODY_INTEGER },
	{ "camera_max_height", BODY_INTEGER },
	{ "camera_compression_method", BODY_STRING },
	{ NULL },
};

static const ResBodyField camera_redirection[] = {
	{ "video_compress_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = options_4_1510 },
	{ NULL },
};

static const ResBodyField options_4_1512[] = {
	{ "hid_redirection_customization_policy", BODY_STRING },
	{ NULL },
};

static const ResBodyField hid_redirection[] = {
	{ "hid_redirection_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = options_4_1512 },
	{ NULL },
};

static const ResBodyField device_redirection[] = {
	{ "printer_redirection", BODY_OBJECT, .fields = printer_redirection },
	{ "session_printer", BODY_OBJECT, .fields = session_printer },
	{ "camera_redirection", BODY_OBJECT, .fields = camera_redirection },
	{ "twain_redirection_enable", BODY_BOOLEAN },
	{ "image_compression_level", BODY_STRING },
	{ "hid_redirection", BODY_OBJECT, .fields = hid_redirection },
	{ NULL },
};

static const ResBodyField common_options[] = {
	{ "remove_smartcard_disconnect_enable", BODY_BOOLEAN },
	{ NULL },
};

static const ResBodyField usb_device_common[] = {
	{ "pcsc_smartcard_enable", BODY_STRING },
	{ "common_options", BODY_OBJECT, .fields = common_options },
	{ NULL },
};

static const ResBodyField options_4_1516[] = {
	{ "auto_connect_enable", BODY_BOOLEAN },
	{ NULL },
};

static const ResBodyField serial_port_redirection[] = {
	{ "serial_port_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = options_4_1516 },
	{ NULL },
};

static const ResBodyField parallel_port_redirection[] = {
	{ "parallel_port_enable", BODY_BOOLEAN },
	{ NULL },
};

static const ResBodyField driver_interface_redirection[] = {
	{ "api_redir_driver_list", BODY_STRING },
	{ NULL },
};

static const ResBodyField peripherals[] = {
	{ "usb_custom_policy_debug", BODY_STRING },
	{ "usb_port_redirection", BODY_OBJECT, .fields = usb_port_redirection },
	{ "device_redirection", BODY_OBJECT, .fields = device_redirection },
	{ "usb_device_common", BODY_OBJECT, .fields = usb_device_common },
	{ "serial_port_redirection", BODY_OBJECT, .fields = serial_port_redirection },
	{ "parallel_port_redirection", BODY_OBJECT, .fields = parallel_port_redirection },
	{ "driver_interface_redirection", BODY_OBJECT, .fields = driver_interface_redirection },
	{ NULL },
};

static const ResBodyField audio[] = {
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

static const ResBodyField autoclose_monitor_options[] = {
	{ "autoclose_monitor_wait_time", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField options_4_1523[] = {
	{ "sc_type_window", BODY_BOOLEAN },
	{ "sc_type_mac", BODY_BOOLEAN },
	{ "sc_type_android", BODY_BOOLEAN },
	{ "sc_type_linux", BODY_BOOLEAN },
	{ "sc_type_h5", BODY_BOOLEAN },
	{ "sc_type_ios", BODY_BOOLEAN },
	{ "sc_type_harmony_os", BODY_BOOLEAN },
	{ "tc_type_all", BODY_BOOLEAN },
	{ NULL },
};

static const ResBodyField client_type[] = {
	{ "client_type_limit", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = options_4_1523 },
	{ NULL },
};

static const ResBodyField client[] = {
	{ "automatic_reconnection_interval", BODY_INTEGER },
	{ "session_persistence_time", BODY_INTEGER },
	{ "autoclose_monitor_after_locked", BODY_BOOLEAN },
	{ "autoclose_monitor_options", BODY_OBJECT, .fields = autoclose_monitor_options },
	{ "forbid_screen_capture", BODY_BOOLEAN },
	{ "client_machine_join_domain", BODY_BOOLEAN },
	{ "client_type", BODY_OBJECT, .fields = client_type },
	{ NULL },
};

static const ResBodyField deep_compression_options[] = {
	{ "deep_compression_level", BODY_STRING },
	{ NULL },
};

static const ResBodyField video_bit_rate_options[] = {
	{ "average_video_bit_rate", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField video_quality_options[] = {
	{ "average_video_quality", BODY_INTEGER },
	{ "lowest_video_quality", BODY_INTEGER },
	{ "highest_video_quality", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField options_4_1525[] = {
	{ "display_bandwidth", BODY_INTEGER },
	{ "frame_rate", BODY_INTEGER },
	{ "video_frame_rate", BODY_INTEGER },
	{ "min_image_cache", BODY_INTEGER },
	{ "smoothing_factor", BODY_INTEGER },
	{ "lossless_compression_mode", BODY_STRING },
	{ "deep_compression_options", BODY_OBJECT, .fields = deep_compression_options },
	{ "lossy_compression_quality", BODY_INTEGER },
	{ "color_enhancement_enable", BODY_BOOLEAN },
	{ "quality_bandwidth_first", BODY_STRING },
	{ "video_bit_rate_options", BODY_OBJECT, .fields = video_bit_rate_options },
	{ "peak_video_bit_rate", BODY_INTEGER },
	{ "video_quality_options", BODY_OBJECT, .fields = video_quality_options },
	{ "gop_size", BODY_INTEGER },
	{ "encoding_preset", BODY_STRING },
	{ NULL },
};

static const ResBodyField rendering_acceleration_options[] = {
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

static const ResBodyField adaptive_bitrate_control_options[] = {
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

static const ResBodyField display[] = {
	{ "display_level", BODY_STRING },
	{ "options", BODY_OBJECT, .fields = options_4_1525 },
	{ "rendering_acceleration_enable", BODY_BOOLEAN },
	{ "rendering_acceleration_options", BODY_OBJECT, .fields = rendering_acceleration_options },
	{ "adaptive_bitrate_control_enable", BODY_BOOLEAN },
	{ "adaptive_bitrate_control_options", BODY_OBJECT,
	  .fields = adaptive_bitrate_control_options },
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

static const ResBodyField fluid_control_options[] = {
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

static const ResBodyField compression_switch_options[] = {
	{ "compression_threshold", BODY_INTEGER },
	{ "minimum_compression_rate", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField linux_file_size_supported_options[] = {
	{ "linux_file_size_supported_threshold", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField options_4_1533[] = {
	{ "fluid_control_switch_enable", BODY_BOOLEAN },
	{ "fluid_control_options", BODY_OBJECT, .fields = fluid_control_options },
	{ "compression_switch_enable", BODY_BOOLEAN },
	{ "compression_switch_options", BODY_OBJECT, .fields = compression_switch_options },
	{ "linux_file_size_supported_enable", BODY_BOOLEAN },
	{ "linux_file_size_supported_options", BODY_OBJECT,
	  .fields = linux_file_size_supported_options },
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

static const ResBodyField redirection_send_file_options[] = {
	{ "read_write_speed", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField file_redirection[] = {
	{ "redirection_mode", BODY_STRING },
	{ "options", BODY_OBJECT, .fields = options_4_1533 },
	{ "vm_send_file_client", BODY_BOOLEAN },
	{ "redirection_send_file_options", BODY_OBJECT, .fields = redirection_send_file_options },
	{ NULL },
};

static const ResBodyField clipboard_redirection_options[] = {
	{ "rich_text_redirection_enable", BODY_BOOLEAN },
	{ "clipboard_file_redirection_enable", BODY_BOOLEAN },
	{ NULL },
};

static const ResBodyField file_and_clipboard[] = {
	{ "file_redirection", BODY_OBJECT, .fields = file_redirection },
	{ "clip_length_limit_flag_c2s", BODY_BOOLEAN },
	{ "clip_length_limit_c2s", BODY_INTEGER },
	{ "clip_length_limit_flag_s2c", BODY_BOOLEAN },
	{ "clip_length_limit_s2c", BODY_INTEGER },
	{ "fd_mobile_client_redirection_enable", BODY_BOOLEAN },
	{ "clipboard_redirection", BODY_STRING },
	{ "clipboard_redirection_options", BODY_OBJECT, .fields = clipboard_redirection_options },
	{ NULL },
};

static const ResBodyField auto_disconnect_or_logout_control_options[] = {
	{ "auto_disconnect_minutes", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField auto_lock_options[] = {
	{ "auto_lock_minutes", BODY_INTEGER },
	{ "auto_disconnect", BODY_STRING },
	{ "options", BODY_OBJECT, .fields = auto_disconnect_or_logout_control_options },
	{ NULL },
};

static const ResBodyField disconnect_logout_options[] = {
	{ "disconnect_logout_minutes", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField disconnect_hibernate_options[] = {
	{ "disconnect_hibernate_minutes", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField no_operation_hibernate_options[] = {
	{ "no_operation_hibernate_minutes", BODY_INTEGER },
	{ NULL },
};

static const ResBodyField vdi[] = {
	{ "auto_lock_enable", BODY_BOOLEAN },
	{ "auto_lock_options", BODY_OBJECT, .fields = auto_lock_options },
	{ "disconnect_logout_enable", BODY_INTEGER },
	{ "disconnect_logout_options", BODY_OBJECT, .fields = disconnect_logout_options },
	{ "disconnect_hibernate_enable", BODY_BOOLEAN },
	{ "disconnect_hibernate_options", BODY_OBJECT, .fields = disconnect_hibernate_options },
	{ "no_operation_hibernate_enable", BODY_BOOLEAN },
	{ "no_operation_hibernate_options", BODY_OBJECT, .fields = no_operation_hibernate_options },
	{ NULL },
};

static const ResBodyField session[] = {
	{ "vdi", BODY_OBJECT, .fields = vdi },
	{ "self_help_console", BODY_BOOLEAN },
	{ "disconnect_on_lock_flag", BODY_BOOLEAN },
	{ "auto_lock_start_time", BODY_STRING },
	{ "auto_lock_end_time", BODY_STRING },
	{ NULL },
};

static const ResBodyField virtual_channel_options[] = {
	{ "custom_virtual_channel_name", BODY_STRING },
	{ "virtual_channel_plugin_details", BODY_STRING },
	{ "third_party_plugin_name", BODY_STRING },
	{ NULL },
};

static const ResBodyField virtual_channel[] = {
	{ "virtual_channel_control_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = virtual_channel_options },
	{ NULL },
};

static const ResBodyField watermark_options[] = {
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

static const ResBodyField watermark[] = {
	{ "watermark_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = watermark_options },
	{ NULL },
};

static const ResBodyField keyboard_mouse[] = {
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

static const ResBodyField options_4_1552[] = {
	{ "seamless_apply_path", BODY_STRING },
	{ NULL },
};

static const ResBodyField seamless[] = {
	{ "seamless_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = options_4_1552 },
	{ NULL },
};

static const ResBodyField user_data_roaming_options[] = {
	{ "profile_streaming_enable", BODY_BOOLEAN },
	{ "roamed_files_local_path", BODY_STRING },
	{ "exclude_folders_path", BODY_STRING },
	{ "roaming_registry_method", BODY_STRING },
	{ "roaming_registry_path", BODY_STRING },
	{ NULL },
};

static const ResBodyField user_folder_redirection_options[] = {
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

static const ResBodyField network_drive_mapping_options[] = {
	{ "network_drive_mapping_path", BODY_STRING },
	{ "drive_letter", BODY_STRING },
	{ NULL },
};

static const ResBodyField personalized_data_mgmt[] = {
	{ "personalized_data_mgmt_path", BODY_STRING },
	{ "user_data_roaming_enable", BODY_BOOLEAN },
	{ "user_data_roaming_options", BODY_OBJECT, .fields = user_data_roaming_options },
	{ "user_folder_redirection_enable", BODY_BOOLEAN },
	{ "user_folder_redirection_options", BODY_OBJECT,
	  .fields = user_folder_redirection_options },
	{ "logoff_delete_user_configuration", BODY_BOOLEAN },
	{ "network_drive_mapping_enable", BODY_BOOLEAN },
	{ "network_drive_mapping_options", BODY_OBJECT, .fields = network_drive_mapping_options },
	{ NULL },
};

static const ResBodyField options_4_1558[] = {
	{ "custom_configuration1_rule", BODY_STRING },
	{ NULL },
};

static const ResBodyField custom[] = {
	{ "custom_configuration1_enable", BODY_BOOLEAN },
	{ "options", BODY_OBJECT, .fields = options_4_1558 },
	{ NULL },
};

static const ResBodyField record_audit_rule[] = {
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

static const ResBodyField rules[] = {
	{ "rule", BODY_OBJECT, .fields = record_audit_rule },
	{ NULL },
};

static const ResBodyField record_audit[] = {
	{ "enable", BODY_BOOLEAN },
	{ "rules", BODY_OBJECT, .fields = rules },
	{ "storage_type", BODY_STRING },
	{ "obs_bucket_source", BODY_STRING },
	{ "obs_bucket_name", BODY_STRING },
	{ "retention_duration", BODY_INTEGER },
	{ NULL },
};

const ResBodyField res_body_policies[] = {
	{ "peripherals", BODY_OBJECT, .fields = peripherals },
	{ "audio", BODY_OBJECT, .fields = audio },
	{ "client", BODY_OBJECT, .fields = client },
	{ "display", BODY_OBJECT, .fields = display },
	{ "file_and_clipboard", BODY_OBJECT, .fields = file_and_clipboard },
	{ "session", BODY_OBJECT, .fields = session },
	{ "virtual_channel", BODY_OBJECT, .fields = virtual_channel },
	{ "watermark", BODY_OBJECT, .fields = watermark },
	{ "keyboard_mouse", BODY_OBJECT, .fields = keyboard_mouse },
	{ "seamless", BODY_OBJECT, .fields = seamless },
	{ "personalized_data_mgmt", BODY_OBJECT, .fields = personalized_data_mgmt },
	{ "custom", BODY_OBJECT, .fields = custom },
	{ "record_audit", BODY_OBJECT, .fields = record_audit },
	{ NULL },
};
