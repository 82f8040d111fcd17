/**
 * @file opae/metrics.h
 * @brief Telemetry of an open resource: power, temperatures, performance and AFU counters.
 *
 * fpgaGetNumMetrics() says how many metrics a resource has; fpgaGetMetricsInfo() describes them
 * (name, group, unit, type, index); fpgaGetMetricsByIndex() and fpgaGetMetricsByName() read
 * values. Every array is the caller's.
 */
#ifndef OPAESHARP_OPAE_METRICS_H
#define OPAESHARP_OPAE_METRICS_H

#include <opae/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Counts the metrics of a resource.
 *
 * @param[in]  handle      An open handle.
 * @param[out] num_metrics Receives the count.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open or @p num_metrics is
 * NULL. FPGA_NOT_FOUND if the resource's metrics could not be discovered.
 */
fpga_result fpgaGetNumMetrics(fpga_handle handle, uint64_t *num_metrics);

/**
 * Describes the metrics of a resource.
 *
 * @param[in]     handle      An open handle.
 * @param[out]    metric_info The caller's array of *num_metrics entries, filled in index order.
 * @param[in,out] num_metrics The array's length (at most fpgaGetNumMetrics()'s count).
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open or a pointer is NULL.
 * FPGA_NOT_FOUND if the metrics could not be discovered. FPGA_NO_MEMORY if memory ran out.
 */
fpga_result fpgaGetMetricsInfo(fpga_handle handle, fpga_metric_info *metric_info,
			       uint64_t *num_metrics);

/**
 * Reads metrics given by index (fpga_metric_info.metric_num).
 *
 * @param[in]  handle             An open handle.
 * @param[in]  metric_num         The caller's array of @p num_metric_indexes indexes.
 * @param[in]  num_metric_indexes How many metrics to read.
 * @param[out] metrics            The caller's array of @p num_metric_indexes readings, in the
 *                                order of @p metric_num.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open or a pointer is NULL.
 * FPGA_NOT_FOUND if an index names no metric. FPGA_NO_MEMORY if memory ran out.
 */
fpga_result fpgaGetMetricsByIndex(fpga_handle handle, uint64_t *metric_num,
				  uint64_t num_metric_indexes, fpga_metric *metrics);

/**
 * Reads metrics given by name: "qualifier_name:metric_name" of their fpga_metric_info,
 * compared without regard to case.
 *
 * @param[in]  handle           An open handle.
 * @param[in]  metrics_names    The caller's array of @p num_metric_names NUL-terminated names.
 * @param[in]  num_metric_names How many metrics to read.
 * @param[out] metrics          The caller's array of @p num_metric_names readings, in the order
 *                              of @p metrics_names.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open, a pointer is NULL or
 * a name has no ':'. FPGA_NOT_FOUND if a name names no metric.
 */
fpga_result fpgaGetMetricsByName(fpga_handle handle, char **metrics_names,
				 uint64_t num_metric_names, fpga_metric *metrics);

/**
 * Gives the thresholds of a resource's sensors.
 *
 * @param[in]     handle            An open handle of an FPGA device.
 * @param[out]    metric_thresholds The caller's array of *num_thresholds entries, or NULL to
 *                                  only ask for the count.
 * @param[in,out] num_thresholds    In: the array's length. Out: the number of sensors with
 *                                  thresholds (when @p metric_thresholds is NULL) or filled in.
 * @returns FPGA_OK on success. FPGA_INVALID_PARAM if @p handle is not open or @p num_thresholds
 * is NULL. FPGA_NOT_FOUND if the resource has no sensors with thresholds. FPGA_EXCEPTION if they
 * could not be read.
 */
fpga_result fpgaGetMetricsThresholdInfo(fpga_handle handle,
					struct metric_threshold *metric_thresholds,
					uint32_t *num_thresholds);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPAESHARP_OPAE_METRICS_H */
