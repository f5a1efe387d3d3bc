package io.jlvs.console.metrics;

import io.jlvs.control.protocol.ControlReply;

/**
 * One listing with the label sets of its services and real servers, and the order in which their samples sort.
 * The library sorts every family's samples by label set; handed them in that order it checks them in one pass
 * instead of sorting thousands of label sets at every scrape. Arrays are in listing order; an order holds the
 * listing indices in label order.
 */
record LabelledListing(ControlReply.ServiceRow[] services, ServiceLabels[] serviceLabels, int[] serviceOrder,
                       ControlReply.RealServerRow[] servers, ServerLabels[] serverLabels, int[] serverOrder) {}
