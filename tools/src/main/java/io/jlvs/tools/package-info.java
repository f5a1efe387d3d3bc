/** jlvsadm and operator tools. */
package io.jlvs.tools;
